// The data bucket: raw input, results and Athena's scratch output, private and encrypted.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ATHENA_RESULTS_PREFIX, CHECKED_PREFIX, CURATED_PREFIX, RESULTS_PREFIX } from '../lambdas/contracts/layout';

export interface DataStorageProps {
  athenaResultsRetentionDays: number;
}

export class DataStorage extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataStorageProps) {
    super(scope, id);
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Data', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Versioning keeps every earlier copy of raw input: nothing uploaded is ever lost.
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'data-bucket/',
      lifecycleRules: [
        {
          id: 'expire-athena-scratch-results',
          prefix: ATHENA_RESULTS_PREFIX,
          expiration: Duration.days(props.athenaResultsRetentionDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          // The curated Parquet copies are derived from raw/ and re-made by any run: kept for a while
          // (a run's own queries, later ad-hoc queries of a run id), then gone.
          id: 'expire-curated-tables',
          prefix: CURATED_PREFIX,
          expiration: Duration.days(90),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          // Every raw row with its reject reason: one run's scratch, read by that run's validation
          // only (and kept a week to look into a run); it includes rejected rows as uploaded.
          id: 'expire-checked-tables',
          prefix: CHECKED_PREFIX,
          expiration: Duration.days(7),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          // A rerun replaces a run's result files; the replaced versions stay 90 days. Not raw/: an
          // earlier extract replaced by a new upload is kept, so an old run's input can be fetched
          // again by the sha256 its manifest lists.
          id: 'expire-replaced-results',
          prefix: RESULTS_PREFIX,
          noncurrentVersionExpiration: Duration.days(90),
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      // Analysts' data and results outlive the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
