// rolebook serve: keeps the preview current. The server says on /_rolebook/events when a build
// changed anything; the panel is then fetched again and, when the handbook itself changed, the
// frame is reloaded (the browser keeps its scroll position).
(function () {
  'use strict';
  var frame = document.getElementById('rb-book');
  var busy = false;
  var again = false;

  function panel() {
    return document.getElementById('rb-status');
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch('/_rolebook/status', { cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) throw new Error('status ' + r.status);
        return r.text();
      })
      .then(function (html) {
        var t = document.createElement('template');
        t.innerHTML = html;
        var next = t.content.firstElementChild;
        var old = panel();
        if (!next || !old) return;
        if (next.dataset.book !== old.dataset.book) frame.contentWindow.location.reload();
        old.replaceWith(next);
      })
      // The server is gone or restarting: the event stream reconnects and says so.
      .catch(function () {})
      .finally(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  var events = new EventSource('/_rolebook/events');
  events.onmessage = function (e) {
    var p = panel();
    if (p && e.data !== p.dataset.version) refresh();
  };
})();
