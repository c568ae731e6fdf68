// Autocomplete pickers (templates/claims/_picker.html): type a few letters,
// choose an article or a source from what the server finds (at most 20),
// instead of scrolling a dropdown of every row. The chosen values are hidden
// inputs, so the surrounding form submits them like any field.
(function () {
  "use strict";

  function init(root) {
    if (root.dataset.pickerReady) return;
    root.dataset.pickerReady = "1";
    const input = root.querySelector(".picker-input");
    const list = root.querySelector(".picker-list");
    const chosen = root.querySelector(".picker-chosen");
    const name = input.dataset.name;
    const single = root.hasAttribute("data-picker-single");
    // With JavaScript the typed text is only a query; the chosen ids are sent.
    input.removeAttribute("name");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    let results = [];
    let active = -1;
    let timer = null;
    let sequence = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.classList.toggle("active", i === index);
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(result) {
      if (single) chosen.innerHTML = "";
      const already = Array.from(chosen.querySelectorAll("input")).some(function (hidden) {
        return hidden.value === String(result.id);
      });
      if (!already) {
        const item = document.createElement("li");
        item.className = "chip";
        const hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = name;
        hidden.value = String(result.id);
        const text = document.createElement("span");
        text.textContent = result.label;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "picker-remove";
        remove.setAttribute("aria-label", "Remove " + result.label);
        remove.textContent = "×";
        item.append(hidden, text, " ", remove);
        chosen.appendChild(item);
      }
      input.value = "";
      close();
      input.focus();
    }

    function render(found) {
      results = found;
      list.innerHTML = "";
      found.forEach(function (result, i) {
        const option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = result.label;
        if (result.detail) {
          const detail = document.createElement("span");
          detail.className = "muted";
          detail.textContent = " " + result.detail;
          option.appendChild(detail);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(result);
        });
        list.appendChild(option);
      });
      if (!found.length) {
        const none = document.createElement("li");
        none.className = "muted";
        none.textContent = "Nothing matches.";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function search() {
      const text = input.value.trim();
      if (text.length < 2) {
        close();
        return;
      }
      const mine = ++sequence;
      fetch(root.dataset.pickerUrl + "?q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (mine === sequence) render(data.results || []);
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(results[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
    chosen.addEventListener("click", function (event) {
      const remove = event.target.closest(".picker-remove");
      if (remove) remove.closest("li").remove();
    });
  }

  function initAll(container) {
    container.querySelectorAll("[data-picker-url]").forEach(init);
  }

  initAll(document);
  document.addEventListener("htmx:load", function (event) {
    initAll(event.target);
  });
})();
