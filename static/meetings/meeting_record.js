/* The secretary's one meeting page (templates/meetings/meeting_record.html).
   Without this script every step is a plain form that reloads the page. With it, a form marked
   data-km-fragment="<id>" is sent in the background and the part of the page with that id is
   replaced by the server's answer; what is typed elsewhere (another item's minutes) is kept.
   The agenda's items are dragged into order with SortableJS (static/vendor/sortablejs); the
   arrow buttons do the same from the keyboard. */
(function () {
  "use strict";

  var root = document.querySelector("[data-km-record]");
  if (!root) { return; }

  function csrf() {
    var field = root.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function typedIn(element, except) {
    var typed = {};
    element.querySelectorAll("textarea[id], input[id]:not([type=hidden]), select[id]").forEach(function (field) {
      if (except && except.contains(field)) { return; }
      var changed = field.tagName === "SELECT"
        ? Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; })
        : field.value !== field.defaultValue;
      if (changed) { typed[field.id] = field.value; }
    });
    return typed;
  }

  function send(url, data, targetId, form) {
    var target = document.getElementById(targetId);
    // One step at a time: a second click while the first is on its way is not sent twice.
    if (!target || target.getAttribute("aria-busy") === "true") { return; }
    var focused = document.activeElement && document.activeElement.id;
    target.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-KM-Fragment": "1", "X-CSRFToken": csrf() }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("text/html") < 0) { throw new Error("not a fragment"); }
      return response.text().then(function (html) { return { ok: response.ok, html: html }; });
    }).then(function (answer) {
      // A refused step keeps what its own form had typed, too.
      var typed = typedIn(target, answer.ok ? form : null);
      var box = document.createElement("div");
      box.innerHTML = answer.html.trim();
      var fresh = box.firstElementChild;
      if (!fresh || fresh.id !== targetId) { throw new Error("unexpected answer"); }
      target.replaceWith(fresh);
      Object.keys(typed).forEach(function (id) {
        var field = document.getElementById(id);
        if (field) { field.value = typed[id]; }
      });
      enhance(fresh);
      if (window.KMWidgets) { window.KMWidgets.enhance(fresh); }  // editors, calendars
      var again = focused && document.getElementById(focused);
      if (again && !again.disabled) { again.focus(); }
      var alert = fresh.querySelector(".alert");
      if (alert && !again) { alert.setAttribute("tabindex", "-1"); alert.focus(); }
    }).catch(function () {
      window.location.reload();
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !root.contains(form)) { return; }
    var targetId = form.getAttribute("data-km-fragment");
    if (!targetId || !window.fetch) { return; }
    event.preventDefault();
    var data = new FormData(form);
    var submitter = event.submitter;
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    send(form.action, data, targetId, form);
  });

  function enhance(part) {
    if (!window.Sortable) { return; }
    part.querySelectorAll(".drag-handle").forEach(function (handle) { handle.hidden = false; });
    part.querySelectorAll(".agenda-list").forEach(function (list) {
      window.Sortable.create(list, {
        group: "agenda",
        handle: ".drag-handle",
        animation: 150,
        ghostClass: "agenda-ghost",
        onEnd: function (event) {
          if (event.from === event.to && event.oldIndex === event.newIndex) { return; }
          var item = event.item;
          var data = new FormData();
          data.append("section", event.to.getAttribute("data-section"));
          data.append("index", String(event.newIndex));
          data.append("lock_version", item.getAttribute("data-version"));
          send(item.getAttribute("data-move-url"), data, "record-body", null);
        }
      });
    });
  }

  function start() { enhance(root); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
}());
