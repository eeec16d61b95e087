// Stands in for @aws-sdk/client-lambda and @aws-sdk/credential-providers in the command line's build
// (esbuild alias, see bin/compiled-entry.js). aws-local-stepfunctions imports both to invoke a Task's
// Lambda function over the network when the caller gives it no handler; the local runner gives every
// Task its handler, so a local run never calls AWS, and loading the two SDK packages was 0.05 s of
// each start. Should a Task ever reach this client, the run fails saying so rather than calling AWS.
export class LambdaClient {
  constructor() {
    throw new Error('the local runner has no handler for a Task state and does not invoke AWS Lambda functions');
  }
}

export class InvokeCommand {}

export function fromCognitoIdentityPool(): never {
  throw new Error('the local runner does not call AWS');
}
