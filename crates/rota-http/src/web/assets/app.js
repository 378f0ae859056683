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

// Copy buttons: a <button data-copy="ID" hidden> copies the value of the input #ID (a
// secret or an address shown once) and says so in the page's [data-copied] status. The
// button stays hidden without a script or a clipboard; the input can be copied by hand.
(function () {
  'use strict';
  if (!navigator.clipboard) { return; }
  Array.prototype.forEach.call(document.querySelectorAll('button[data-copy]'), function (button) {
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source) { return; }
    button.hidden = false;
    button.addEventListener('click', function () {
      var status = document.querySelector('[data-copied]');
      navigator.clipboard.writeText(source.value).then(function () {
        if (status) { status.textContent = 'Copied.'; }
      }, function () {
        source.select();
        if (status) { status.textContent = 'Select the text and copy it by hand.'; }
      });
    });
  });
})();
