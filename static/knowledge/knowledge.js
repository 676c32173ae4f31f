/* Knowledge sets: a small Markdown toolbar (where the page has one) and the preview (the print button and confirmations are
   in js/portal.js). Plain JavaScript, no libraries; every page works without it. */
(function () {
  "use strict";

  function surround(area, before, after, placeholder) {
    var start = area.selectionStart, end = area.selectionEnd;
    var chosen = area.value.slice(start, end) || placeholder;
    area.setRangeText(before + chosen + after, start, end, "end");
    area.selectionStart = start + before.length;
    area.selectionEnd = start + before.length + chosen.length;
    area.focus();
  }

  function prefixLines(area, prefix) {
    var start = area.value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    var end = area.selectionEnd;
    var lines = area.value.slice(start, end).split("\n");
    var numbered = prefix === "1. ";
    var changed = lines.map(function (line, index) {
      return (numbered ? (index + 1) + ". " : prefix) + line;
    }).join("\n");
    area.setRangeText(changed, start, end, "end");
    area.focus();
  }

  var actions = {
    heading: function (area) { prefixLines(area, "## "); },
    subheading: function (area) { prefixLines(area, "### "); },
    bold: function (area) { surround(area, "**", "**", "…"); },
    italic: function (area) { surround(area, "*", "*", "…"); },
    list: function (area) { prefixLines(area, "- "); },
    numbered: function (area) { prefixLines(area, "1. "); },
    quote: function (area) { prefixLines(area, "> "); },
    link: function (area) { surround(area, "[", "](https://)", "…"); },
    table: function (area) {
      surround(area, "\n| หัวข้อ | รายละเอียด |\n|---|---|\n| ", " |  |\n", "…");
    }
  };

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setUpEditor(area) {
    var form = area.form;
    var toolbar = document.querySelector("[data-km-toolbar]");
    if (toolbar) {
      toolbar.hidden = false;
      toolbar.addEventListener("click", function (event) {
        var button = event.target.closest("[data-md]");
        if (!button) { return; }
        event.preventDefault();
        var action = actions[button.getAttribute("data-md")];
        if (action) { action(area); }
      });
    }
    var previewButton = document.querySelector("[data-km-preview]");
    var pane = document.getElementById("km-preview");
    if (!previewButton || !pane) { return; }
    previewButton.hidden = false;
    // What the person types into: the WYSIWYG editor (js/widgets.js) once it is up, else the text.
    function input() { return area.kmEditorHost || area; }
    previewButton.addEventListener("click", function (event) {
      event.preventDefault();
      var showing = !pane.hidden;
      if (showing) {
        pane.hidden = true;
        input().hidden = false;
        previewButton.setAttribute("aria-pressed", "false");
        return;
      }
      var body = new FormData();
      body.append("body", area.value);
      fetch(previewButton.getAttribute("data-km-preview"), {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": csrfToken(form) },
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      }).then(function (data) {
        // The server rendered and sanitised this HTML exactly as it does on save.
        pane.innerHTML = data.html;
        pane.style.minHeight = input().offsetHeight + "px";
        pane.hidden = false;
        input().hidden = true;
        previewButton.setAttribute("aria-pressed", "true");
      }).catch(function () {
        pane.textContent = previewButton.getAttribute("data-km-preview-error") || "";
        pane.hidden = false;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var area = document.querySelector("textarea.km-editor");
    if (area) { setUpEditor(area); }
  });
}());
