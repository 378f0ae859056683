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
