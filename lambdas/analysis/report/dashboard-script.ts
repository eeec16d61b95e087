// The dashboard's script (inlined after the Vega runtime): draws each chart's compiled Vega spec as a
// live view, passes the filters to the views as signals (so the data each chart draws changes) and
// hides the cohort charts, table rows and findings a filter excludes, shows mark tooltips, and reads
// the run's status and times from ../manifest.json at view time (they are not baked into the page,
// which must come out byte-identical when a run is repeated).
export const DASHBOARD_SCRIPT = `
(function(){
  'use strict';
  var FILTERS = ['period', 'plan', 'segment'];
  var views = {};
  window.dashboardViews = views;
  var tooltipBox = document.getElementById('tooltip');

  function showTooltip(handler, event, item, value) {
    if (value === undefined || value === null || value === '') { tooltipBox.hidden = true; return; }
    tooltipBox.textContent = '';
    if (typeof value === 'object') {
      var table = document.createElement('table');
      Object.keys(value).forEach(function(key){
        var row = table.insertRow(); row.insertCell().textContent = key; row.insertCell().textContent = String(value[key]);
      });
      tooltipBox.appendChild(table);
    } else tooltipBox.textContent = String(value);
    tooltipBox.hidden = false;
    var x = event.clientX + 14, y = event.clientY + 14, box = tooltipBox.getBoundingClientRect();
    if (x + box.width > window.innerWidth) x = Math.max(0, event.clientX - box.width - 14);
    if (y + box.height > window.innerHeight) y = Math.max(0, event.clientY - box.height - 14);
    tooltipBox.style.left = x + 'px'; tooltipBox.style.top = y + 'px';
  }

  var figures = document.querySelectorAll('figure.chart[data-chart]');
  for (var i = 0; i < figures.length; i++) {
    var figure = figures[i], name = figure.getAttribute('data-chart'), target = figure.querySelector('.view');
    try {
      var spec = JSON.parse(figure.querySelector('script.spec').textContent);
      var view = new vega.View(vega.parse(spec), { renderer: 'svg', container: target });
      view.tooltip(showTooltip);
      var rows = (spec.data || []).reduce(function(all, data){ return Array.isArray(data.values) ? all.concat(data.values) : all; }, []);
      views[name] = { view: view, figure: figure, rows: rows, filters: (figure.getAttribute('data-filters') || '').split(' ').filter(Boolean) };
    } catch (error) {
      target.textContent = 'This chart could not be drawn here (' + error.message + '); open its SVG or PNG below.';
      console.error('chart ' + name + ':', error);
    }
  }

  function filterState() {
    var state = {};
    FILTERS.forEach(function(key){ var select = document.getElementById('filter-' + key); state[key] = select ? select.value : 'all'; });
    return state;
  }

  function apply() {
    var state = filterState();
    document.body.setAttribute('data-applied', JSON.stringify(state));
    var nodes = document.querySelectorAll('[data-period],[data-plan],[data-segment]');
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i], show = true;
      FILTERS.forEach(function(key){
        var tag = node.getAttribute('data-' + key);
        if (tag !== null && state[key] !== 'all' && state[key] !== tag) show = false;
      });
      node.classList.toggle('hidden', !show);
    }
    var runs = Object.keys(views).map(function(name){
      var entry = views[name];
      entry.filters.forEach(function(key){ entry.view.signal('filter_' + key, state[key]); });
      // A chart the filters leave without data says so, rather than showing empty axes.
      var chosen = entry.filters.filter(function(key){ return state[key] !== 'all'; });
      var empty = chosen.length > 0 && !entry.rows.some(function(row){
        return chosen.every(function(key){ return row[key] === undefined || row[key] === null || String(row[key]) === state[key]; });
      });
      var note = entry.figure.querySelector('.empty-note');
      if (empty && !note) {
        note = document.createElement('p'); note.className = 'empty-note';
        entry.figure.insertBefore(note, entry.figure.querySelector('.view'));
      }
      if (note) {
        note.hidden = !empty;
        note.textContent = empty ? 'No data for ' + chosen.map(function(key){ return key + ' ' + state[key]; }).join(' and ') + ' in this chart.' : '';
      }
      return entry.view.runAsync();
    });
    var counter = document.getElementById('shown-charts');
    if (counter) counter.textContent = String(document.querySelectorAll('figure.chart:not(.hidden)').length);
    return Promise.all(runs).then(function(){ document.body.setAttribute('data-drawn', JSON.stringify(state)); });
  }
  window.dashboardReady = apply();
  FILTERS.forEach(function(key){ var select = document.getElementById('filter-' + key); if (select) select.addEventListener('change', apply); });
  // Back from a result file, the browser restores the filters' choices after this script drew the
  // page with the defaults, and fires no change event: draw again when the choices differ.
  function applyRestored() {
    if (JSON.stringify(filterState()) !== document.body.getAttribute('data-applied')) window.dashboardReady = apply();
  }
  window.addEventListener('pageshow', applyRestored);
  window.addEventListener('load', applyRestored);

  // Status and times of the run: manifest.json is written last, after this page, so they are read now.
  var status = document.getElementById('run-status');
  if (status && status.getAttribute('data-manifest')) {
    var runId = status.getAttribute('data-run-id');
    if (location.protocol === 'file:') {
      status.querySelector('.why').textContent = ' (opened from disk, where the browser does not let the page read it; serve the run folder over http to see them here)';
    } else {
      fetch(status.getAttribute('data-manifest'), { cache: 'no-store' }).then(function(response){
        if (response.status === 404) throw new Error('not written yet: the run is still going, or it failed before publishing');
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      }).then(function(manifest){
        if (manifest.run_id !== runId) throw new Error('it belongs to run ' + manifest.run_id);
        status.textContent = '';
        var label = document.createElement('span'); label.className = 'status-' + manifest.status; label.textContent = manifest.status;
        status.append('Status ', label, ' · started ' + manifest.started_at + ' · finished ' + manifest.finished_at + ' (from manifest.json)');
      }).catch(function(error){
        // One sentence: the link to the file, then why it could not be read.
        var link = status.querySelector('a');
        status.textContent = '';
        status.append('Status, start and end times: ', link, ' could not be read (' + error.message + ')');
      });
    }
  }
})();
`;
