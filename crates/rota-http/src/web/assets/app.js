// Rota's web app: a little script over pages that work without it. On the request form
// it fetches the duration (the core's quote) as dates and half days are picked, from
// POST /leave/quote with the form's own CSRF token, and shows it in #quote.
(function () {
  'use strict';
  var form = document.getElementById('request-form');
  var out = document.getElementById('quote');
  if (!form || !out || !window.fetch) { return; }
  var pending = null;
  function refresh() {
    var data = new FormData(form);
    if (!data.get('start_date') || !data.get('end_date')) { return; }
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch('/leave/quote', {
      method: 'POST',
      body: new URLSearchParams(data),
      credentials: 'same-origin',
      signal: pending.signal
    }).then(function (response) {
      return response.ok ? response.text() : '';
    }).then(function (html) {
      var parsed = new DOMParser().parseFromString(html, 'text/html');
      out.replaceChildren.apply(out, Array.prototype.slice.call(parsed.body.childNodes));
    }).catch(function () { /* the "Check duration" button still works */ });
  }
  ['leave_type_id', 'start_date', 'end_date', 'start_part', 'end_part'].forEach(function (name) {
    var input = form.elements[name];
    if (input) { input.addEventListener('change', refresh); }
  });
})();

// API access (web/access): a secret shown once has a copy button, which needs the script;
// without it the secret sits in a readonly field to select and copy by hand.
(function () {
  'use strict';
  var buttons = document.querySelectorAll('button[data-copy]');
  var said = document.querySelector('.copied');
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener('click', function () {
      var done = function () { if (said) { said.textContent = 'Copied to the clipboard.'; } };
      field.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          if (said) { said.textContent = 'Selected: press Ctrl+C (or Cmd+C) to copy.'; }
        });
      } else if (document.execCommand && document.execCommand('copy')) {
        done();
      }
    });
  });
})();

// People import: the confirmed file is applied in parts (data-part rows a post, with
// from/to) so that a <progress> bar shows how far it is; without the script the form
// posts once and applies it all.
(function () {
  'use strict';
  var form = document.getElementById('import-apply');
  if (!form || !window.fetch || !window.URLSearchParams) { return; }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var rows = Number(form.getAttribute('data-rows'));
    var part = Number(form.getAttribute('data-part')) || 100;
    var bar = document.getElementById('import-progress');
    var status = document.getElementById('import-status');
    var button = form.querySelector('button[type=submit]');
    var totals = { created: 0, updated: 0, refused: 0 };
    button.disabled = true;
    bar.hidden = false;
    function next(from) {
      if (from >= rows) {
        window.location.href = '/people?done=imported&created=' + totals.created +
          '&updated=' + totals.updated + '&refused=' + totals.refused;
        return;
      }
      var to = Math.min(from + part, rows);
      var data = new URLSearchParams(new FormData(form));
      data.set('from', String(from));
      data.set('to', String(to));
      fetch(form.action, { method: 'POST', body: data, credentials: 'same-origin' })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (done) {
          totals.created += done.created;
          totals.updated += done.updated;
          totals.refused += done.refused;
          bar.value = to;
          status.textContent = 'Imported ' + to + ' of ' + rows + ' rows.';
          next(to);
        })
        .catch(function (error) {
          status.textContent = 'The import stopped after ' + from + ' of ' + rows +
            ' rows (' + error.message + '). Rows already imported stay; importing the file again applies the rest.';
          button.disabled = false;
        });
    }
    next(0);
  });
})();
