/* The portal's input widgets (apps/core/widgets.py), enhanced in the browser. Each widget is a
   plain input that works without this script; its data-km-* attribute names what it becomes:
     textarea[data-km-editor]   a WYSIWYG editor (Toast UI Editor) writing Markdown back into it;
     input[data-km-date]        a calendar button: Thai month names, Buddhist-Era years (flatpickr);
     input[data-km-time]        a clock button: a 24-hour time picker (flatpickr);
     select[data-km-people]     a searchable people picker with chips (Tom Select); with
                                data-km-people-url it asks the server as one types;
     textarea[data-km-records]  a search-as-you-type box that adds a record's address to it.
   A library is loaded only on a page that needs it; the addresses come from this script tag's
   data-* attributes (hashed by collectstatic), the texts from each widget's data-km-labels. No
   inline script or <style> element, so the Content-Security-Policy holds. */
(function () {
  "use strict";

  var me = document.currentScript;
  var assets = me ? me.dataset : {};
  var loading = {};

  function loadScript(url) {
    if (!loading[url]) {
      loading[url] = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = url;
        tag.onload = resolve;
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return loading[url];
  }

  function loadStyle(url) {
    if (!url || document.querySelector('link[href="' + url + '"]')) { return; }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    document.head.appendChild(link);
  }

  // Scripts in order (a locale after its library); styles at once.
  function load(scripts, styles) {
    (styles || []).forEach(loadStyle);
    loadStyle(assets.widgetsCss);
    return scripts.reduce(function (previous, url) {
      return previous.then(function () { return loadScript(url); });
    }, Promise.resolve());
  }

  function labelsOf(element) {
    try { return JSON.parse(element.getAttribute("data-km-labels") || "{}"); } catch (e) { return {}; }
  }

  function language() { return (document.documentElement.lang || "th").slice(0, 2); }

  function make(tag, className, text) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (text) { element.textContent = text; }
    return element;
  }

  /* --- Writing: Toast UI Editor in WYSIWYG mode over the textarea's Markdown ------------------ */
  var languageSet = false;

  function setUpEditor(area) {
    var Editor = window.toastui && window.toastui.Editor;
    if (!Editor || area.kmEditor) { return; }
    var labels = labelsOf(area);
    var lang = language();
    if (!languageSet) { Editor.setLanguage(lang, labels); languageSet = true; }
    var host = make("div", "km-editor-host");
    area.insertAdjacentElement("afterend", host);
    var rows = parseInt(area.getAttribute("rows"), 10) || 10;
    var editor = new Editor({
      el: host,
      initialValue: area.value,
      initialEditType: "wysiwyg",
      previewStyle: "tab",
      height: Math.max(220, rows * 22 + 90) + "px",
      language: lang,
      usageStatistics: false,  // it would report to Google Analytics otherwise
      autofocus: false,
      toolbarItems: [
        ["heading", "bold", "italic", "strike"],
        ["ul", "ol", "indent", "outdent"],
        ["table", "link", "image", "quote", "hr"]
      ],
      hooks: {
        // Pictures are linked by address; a pasted file would become a huge data: URL.
        addImageBlobHook: function () { window.alert(labels["picture-only"] || ""); }
      }
    });
    area.hidden = true;
    area.removeAttribute("required");  // a hidden required box would block the form silently
    area.kmEditor = editor;
    area.kmEditorHost = host;
    // Written back only when the person changes something: an untouched text is sent as it came.
    editor.on("change", function () { area.value = editor.getMarkdown(); });
    var label = area.id && document.querySelector('label[for="' + area.id + '"]');
    var editable = host.querySelector(".toastui-editor-ww-container [contenteditable]");
    if (editable && label) { editable.setAttribute("aria-label", label.textContent.trim()); }
    if (label) { label.addEventListener("click", function () { editor.focus(); }); }
    if (area.classList.contains("is-invalid")) { host.classList.add("is-invalid"); }
  }

  /* --- Dates and times: flatpickr beside the text box, the box stays typed into --------------- */
  var THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";

  function arabic(text) {
    return String(text).replace(/[๐-๙]/g, function (d) { return String(THAI_DIGITS.indexOf(d)); });
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function formatBE(date) {
    return two(date.getDate()) + "/" + two(date.getMonth() + 1) + "/" + (date.getFullYear() + 543);
  }

  // วว/ดด/ปปปป in B.E. (or a B.E. date the server wrote); anything else is left to the server.
  function parseBE(text) {
    var match = /^\s*(\d{1,2})\s*[\/.\-]\s*(\d{1,2})\s*[\/.\-]\s*(\d{4})\s*$/.exec(arabic(text));
    if (!match) { return null; }
    var year = parseInt(match[3], 10);
    if (year < 2400) { return null; }
    var date = new Date(year - 543, parseInt(match[2], 10) - 1, parseInt(match[1], 10));
    return isNaN(date.getTime()) ? null : date;
  }

  function parseTime(text) {
    var match = /^\s*(\d{1,2})\s*[:.]\s*(\d{2})/.exec(arabic(text));
    if (!match) { return null; }
    var date = new Date();
    date.setHours(parseInt(match[1], 10), parseInt(match[2], 10), 0, 0);
    return date;
  }

  function locale() {
    var fp = window.flatpickr;
    return language() === "th" && fp.l10ns && fp.l10ns.th ? fp.l10ns.th : "default";
  }

  // The calendar's year as B.E.: flatpickr's own year box (C.E.) is hidden by widgets.css.
  function showBEYear(picker, labels) {
    var month = picker.calendarContainer.querySelector(".flatpickr-current-month");
    if (!month) { return; }
    var year = month.querySelector(".km-be-year");
    if (!year) {
      var back = make("button", "km-be-step", "«");
      back.type = "button";
      back.setAttribute("aria-label", labels.previousYear || "");
      back.addEventListener("click", function (event) {
        event.stopPropagation(); picker.changeYear(picker.currentYear - 1); showBEYear(picker, labels);
      });
      year = make("span", "km-be-year");
      year.setAttribute("aria-live", "polite");
      var next = make("button", "km-be-step", "»");
      next.type = "button";
      next.setAttribute("aria-label", labels.nextYear || "");
      next.addEventListener("click", function (event) {
        event.stopPropagation(); picker.changeYear(picker.currentYear + 1); showBEYear(picker, labels);
      });
      var group = make("span", "km-be-years");
      group.append(back, year, next);
      month.appendChild(group);
      picker.calendarContainer.classList.add("km-be-calendar");
    }
    year.textContent = (labels.era ? labels.era + " " : "") + (picker.currentYear + 543);
  }

  function attachPicker(box, kind) {
    if (box.kmPicker || box.disabled || box.readOnly) { return; }
    var labels = labelsOf(box);
    var date = kind === "date";
    var wrap = make("div", "input-group km-picker-group");
    // Moving the box takes the focus away from it: someone already typing (the picker loads after
    // the page) would lose what they type next, so the focus and the selection come back.
    var focused = document.activeElement === box;
    var start = box.selectionStart, end = box.selectionEnd;
    box.parentNode.insertBefore(wrap, box);
    wrap.appendChild(box);
    if (focused) {
      box.focus();
      try { box.setSelectionRange(start, end); } catch (e) { /* not a text box */ }
    }
    var button = make("button", "btn btn-outline-secondary km-picker-button");
    button.type = "button";
    button.setAttribute("aria-label", labels.open || "");
    button.title = labels.open || "";
    button.appendChild(make("i", "bi " + (date ? "bi-calendar3" : "bi-clock")));
    button.firstChild.setAttribute("aria-hidden", "true");
    wrap.appendChild(button);
    var anchor = make("input");
    anchor.type = "hidden";
    wrap.appendChild(anchor);
    var options = {
      locale: locale(),
      disableMobile: true,  // the native picker shows C.E. years
      clickOpens: false,
      positionElement: box,
      onChange: function (chosen) {
        if (!chosen.length) { return; }
        box.value = date ? formatBE(chosen[0]) : two(chosen[0].getHours()) + ":" + two(chosen[0].getMinutes());
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    };
    if (date) {
      options.onReady = options.onOpen = options.onMonthChange = options.onYearChange = function (s, t, picker) {
        showBEYear(picker, labels);
      };
    } else {
      Object.assign(options, { enableTime: true, noCalendar: true, time_24hr: true, minuteIncrement: 5 });
    }
    var picker = window.flatpickr(anchor, options);
    anchor.type = "hidden";  // flatpickr turns a hidden input into a text box; the calendar opens at ``box``
    anchor.hidden = true;
    picker.calendarContainer.classList.add(date ? "km-date-calendar" : "km-time-calendar");
    box.kmPicker = picker;
    button.addEventListener("click", function () {
      if (picker.isOpen) { picker.close(); return; }
      var current = date ? parseBE(box.value) : parseTime(box.value);
      if (current) { picker.setDate(current, false); } else if (!date) { picker.setDate("09:30", false); }
      else { picker.clear(false); picker.jumpToDate(new Date()); }
      picker.open();
    });
  }

  /* --- People: Tom Select over the select; one click adds a team's members ------------------- */
  function setUpPeople(select) {
    if (select.tomselect || !window.TomSelect || select.disabled) { return; }
    var labels = labelsOf(select);
    var multiple = select.multiple;
    var url = select.getAttribute("data-km-people-url");  // a large office: asked as one types
    var settings = {
      plugins: multiple ? ["remove_button"] : [],
      searchField: ["text", "unit"],
      diacritics: false,  // its accent folding breaks Thai (vowel and tone marks are combining)
      maxOptions: 60,
      hidePlaceholder: true,
      closeAfterSelect: !multiple,
      placeholder: labels.placeholder || "",
      render: {
        no_results: function () { return '<div class="no-results">' + escapeHtml(labels.noResults || "") + "</div>"; },
        option: function (data, escape) {
          var extra = data.unit ? '<div class="small text-body-secondary">' + escape(data.unit) + "</div>" : "";
          return "<div>" + escape(data.text) + extra + "</div>";
        }
      }
    };
    if (url) {
      settings.shouldLoad = function (query) { return query.trim().length >= 2; };
      settings.load = function (query, callback) {
        fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
          .then(function (data) { callback(data.results || []); })
          .catch(function () { callback(); });
      };
    }
    var picker = new window.TomSelect(select, settings);
    // Tom Select filters 300 ms after the last key and opens its list then, even when the person
    // has meanwhile picked someone or left the box (it would jump back and cover what is below).
    ["item_add", "dropdown_close", "blur"].forEach(function (name) {
      picker.on(name, function () {
        if (picker.refreshTimeout) { window.clearTimeout(picker.refreshTimeout); picker.refreshTimeout = null; }
      });
    });
    var teams = [];
    try { teams = JSON.parse(select.getAttribute("data-km-teams") || "[]"); } catch (e) { teams = []; }
    if (multiple && teams.length) {
      var row = make("div", "input-group input-group-sm mt-1 km-team-pick");
      var choose = make("select", "form-select form-select-sm");
      choose.setAttribute("aria-label", labels.team || "");
      var blank = make("option", "", labels.team || "");
      blank.value = "";
      choose.appendChild(blank);
      teams.forEach(function (team, index) {
        var option = make("option", "", team.label + " (" + team.ids.length + ")");
        option.value = String(index);
        choose.appendChild(option);
      });
      var add = make("button", "btn btn-outline-primary", labels.teamButton || "+");
      add.type = "button";
      add.addEventListener("click", function () {
        var team = teams[parseInt(choose.value, 10)];
        if (!team) { return; }
        picker.close();
        (team.people || []).forEach(function (person) {
          if (!picker.options[person.value]) { picker.addOption(person); }
        });
        team.ids.forEach(function (id) { picker.addItem(String(id), true); });
        picker.refreshItems();
        select.dispatchEvent(new Event("change", { bubbles: true }));
      });
      row.append(choose, add);
      picker.wrapper.insertAdjacentElement("afterend", row);
    }
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  /* --- Records: find by title, add the address as a line ----------------------------------- */
  function setUpRecords(area) {
    if (area.kmRecords) { return; }
    area.kmRecords = true;
    var labels = labelsOf(area);
    var url = area.getAttribute("data-km-records");
    var box = make("div", "km-record-picker mb-2");
    var search = make("input", "form-control form-control-sm");
    search.type = "search";
    search.autocomplete = "off";
    search.maxLength = 100;
    search.placeholder = labels.placeholder || "";
    search.setAttribute("aria-label", labels.search || "");
    var list = make("div", "list-group list-group-flush km-record-results");
    list.setAttribute("aria-live", "polite");
    box.append(search, list);
    area.insertAdjacentElement("beforebegin", box);
    var timer = null;
    var asked = 0;

    function lines() { return area.value.split(/\r?\n/).map(function (l) { return l.trim(); }).filter(Boolean); }

    function show(results) {
      list.textContent = "";
      if (!results.length) { list.appendChild(make("div", "list-group-item small text-body-secondary", labels.none || "")); return; }
      results.forEach(function (record) {
        var item = make("button", "list-group-item list-group-item-action d-flex gap-2 align-items-start");
        item.type = "button";
        item.setAttribute("data-url", record.url);
        var icon = make("i", "bi bi-" + record.icon + " mt-1");
        icon.setAttribute("aria-hidden", "true");
        var text = make("span", "flex-grow-1");
        text.appendChild(make("span", "d-block", record.title));
        text.appendChild(make("span", "small text-body-secondary", record.kind));
        var state = make("span", "badge text-bg-light km-record-state", lines().indexOf(record.url) >= 0 ? labels.added : labels.add);
        item.append(icon, text, state);
        item.addEventListener("click", function () {
          var present = lines();
          if (present.indexOf(record.url) < 0) {
            area.value = present.concat([record.url]).join("\n");
            area.dispatchEvent(new Event("change", { bubbles: true }));
          }
          state.textContent = labels.added || "";
        });
        list.appendChild(item);
      });
    }

    search.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); } });
    search.addEventListener("input", function () {
      window.clearTimeout(timer);
      var words = search.value.trim();
      if (words.length < 2) { list.textContent = ""; return; }
      timer = window.setTimeout(function () {
        var number = ++asked;
        fetch(url + "?q=" + encodeURIComponent(words), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
          .then(function (data) { if (number === asked) { show(data.results || []); } })
          .catch(function () { if (number === asked) { list.textContent = ""; } });
      }, 250);
    });
  }

  /* --- Start ---------------------------------------------------------------------------------- */
  // ``root``: the page, or a part of it a script has just put in (the meeting page's parts).
  function start(root) {
    root = root && root.querySelectorAll ? root : document;
    var editors = root.querySelectorAll("textarea[data-km-editor]");
    var pickers = root.querySelectorAll("input[data-km-date], input[data-km-time]");
    var people = root.querySelectorAll("select[data-km-people]");
    var records = root.querySelectorAll("textarea[data-km-records]");
    if (editors.length && assets.editorJs) {
      load([assets.editorJs], [assets.editorCss]).then(function () { editors.forEach(setUpEditor); });
    }
    if (pickers.length && assets.flatpickrJs) {
      load([assets.flatpickrJs, assets.flatpickrTh], [assets.flatpickrCss]).then(function () {
        pickers.forEach(function (box) { attachPicker(box, box.hasAttribute("data-km-date") ? "date" : "time"); });
      });
    }
    if (people.length && assets.tomselectJs) {
      load([assets.tomselectJs], [assets.tomselectCss]).then(function () { people.forEach(setUpPeople); });
    }
    if (records.length) { loadStyle(assets.widgetsCss); records.forEach(setUpRecords); }
  }

  window.KMWidgets = { enhance: start };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { start(document); });
  } else { start(document); }
}());
