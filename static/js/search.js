/* Suggestions as you type, for every search box with a data-suggest URL. No dependencies. */
(function () {
  "use strict";

  function attach(input) {
    var url = input.getAttribute("data-suggest");
    var box = document.createElement("ul");
    box.className = "dropdown-menu search-suggestions";
    box.setAttribute("role", "listbox");
    box.id = input.id + "-suggestions";
    input.setAttribute("aria-controls", box.id);
    input.setAttribute("aria-autocomplete", "list");
    input.parentNode.style.position = "relative";
    input.parentNode.appendChild(box);
    var timer = null;
    var active = -1;
    var lastQuery = "";

    function close() {
      box.classList.remove("show");
      box.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
    }

    function render(results) {
      box.innerHTML = "";
      results.forEach(function (item, index) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.className = "dropdown-item";
        a.href = item.url;
        a.setAttribute("role", "option");
        a.id = box.id + "-" + index;
        var title = document.createElement("span");
        title.textContent = item.title;
        var kind = document.createElement("small");
        kind.className = "text-secondary ms-2";
        kind.textContent = item.kind;
        a.appendChild(title);
        a.appendChild(kind);
        li.appendChild(a);
        box.appendChild(li);
      });
      if (results.length) {
        box.classList.add("show");
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < 2) { close(); return; }
      if (query === lastQuery) { return; }
      lastQuery = query;
      fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === query) { render(data.results || []); } })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 180);
    });
    input.addEventListener("keydown", function (event) {
      var items = box.querySelectorAll("a");
      if (!items.length) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
        items.forEach(function (a, i) { a.classList.toggle("active", i === active); });
        input.setAttribute("aria-activedescendant", items[active].id);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = items[active].href;
      } else if (event.key === "Escape") {
        close();
      }
    });
    document.addEventListener("click", function (event) {
      if (!input.parentNode.contains(event.target)) { close(); }
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
