// Similar questions while the title is typed (the ask page): asks the board's JSON endpoint,
// which searches with the person's own permissions, at most once per pause in typing.
(function () {
  "use strict";
  var box = document.getElementById("board-similar");
  var input = document.querySelector("[data-board-similar]");
  if (!box || !input) return;
  var list = document.getElementById("board-similar-list");
  var timer = null;
  var last = "";
  var controller = null;

  function show(results) {
    list.textContent = "";
    results.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.title;
      a.target = "_blank";
      a.rel = "noopener";
      li.appendChild(a);
      list.appendChild(li);
    });
    box.classList.toggle("d-none", results.length === 0);
  }

  function ask() {
    var text = input.value.trim();
    if (text === last) return;
    last = text;
    if (text.length < 3) { show([]); return; }
    if (controller) controller.abort();
    controller = new AbortController();
    var url = box.dataset.url + "?q=" + encodeURIComponent(text);
    fetch(url, { credentials: "same-origin", signal: controller.signal, headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { show(data.results || []); })
      .catch(function () { /* typing on, or offline: keep what is shown */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 350);
  });
  if (input.value.trim()) ask();
})();
