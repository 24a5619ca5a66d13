// Topics: progressive enhancement only; every form here works without this file.
//  - Support buttons post with fetch() and update the count in place.
//  - The gather page counts the minutes left as organizers pick topics.
"use strict";

(function () {
  // Django's JavaScript catalog (/jsi18n/, loaded before this file) translates; English without it.
  var ngettext =
    window.ngettext ||
    function (singular, plural, count) {
      return count === 1 ? singular : plural;
    };

  function setSupported(form, supported, count) {
    var button = form.querySelector(".support-button");
    var label = form.querySelector(".support-label");
    var action = form.querySelector("input[name=action]");
    form.querySelector(".js-count").textContent = String(count);
    form.querySelector(".js-count-mirror").textContent = String(count);
    form.querySelector(".js-count-noun").textContent = ngettext("supporter", "supporters", count);
    action.value = supported ? "unsupport" : "support";
    label.textContent = button.getAttribute(supported ? "data-label-on" : "data-label-off");
    button.setAttribute("aria-pressed", supported ? "true" : "false");
    button.classList.toggle("is-supported", supported);
  }

  function enhanceSupportForm(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector(".support-button");
      if (button.disabled) {
        return; // a request is on its way: a double click must not send two
      }
      button.disabled = true;
      var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
      // getAttribute: the form's input named "action" shadows form.action.
      fetch(form.getAttribute("action"), {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json", "X-CSRFToken": csrf },
        credentials: "same-origin",
      })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (!response.ok || type.indexOf("application/json") === -1) {
            throw new Error("not handled here");
          }
          return response.json();
        })
        .then(function (data) {
          setSupported(form, data.supported, data.support_count);
          button.disabled = false;
        })
        .catch(function () {
          // Let the server answer with a full page (sign in, break, messages).
          form.submit();
        });
    });
  }

  function enhanceGatherForm(form) {
    var holder = document.getElementById("minutes-left");
    var outputs = document.querySelectorAll(".js-minutes-left-text");
    if (!holder || !outputs.length) {
      return;
    }
    var left = parseInt(holder.getAttribute("data-minutes-left"), 10) || 0;
    function say(output, remaining) {
      // "10 minutes over", never "-10"; the wording comes from the page (translated there).
      var over = remaining < 0;
      var text = output.getAttribute(over ? "data-over" : "data-left");
      var strong = document.createElement("strong");
      strong.className = over ? "js-minutes-over" : "js-minutes-left";
      strong.textContent = String(Math.abs(remaining));
      var parts = text.split("{n}");
      output.textContent = "";
      output.appendChild(document.createTextNode(parts[0]));
      output.appendChild(strong);
      output.appendChild(document.createTextNode(parts.slice(1).join("{n}")));
      output.parentNode.classList.toggle("is-overfilled", over);
    }
    function update() {
      var picked = 0;
      form.querySelectorAll("tbody tr").forEach(function (row) {
        var pick = row.querySelector(".js-pick");
        var minutes = parseInt(row.querySelector(".js-minutes").value, 10);
        if (pick && pick.checked && minutes > 0) {
          picked += minutes;
        }
      });
      outputs.forEach(function (output) {
        say(output, left - picked);
      });
    }
    form.addEventListener("input", update);
    form.addEventListener("change", function (event) {
      // Typing minutes ticks the row; that is what the organizer means.
      if (event.target.classList.contains("js-minutes") && event.target.value) {
        var pick = event.target.closest("tr").querySelector(".js-pick");
        pick.checked = true;
      }
      update();
    });
    update();
  }

  document.querySelectorAll("form.js-support").forEach(enhanceSupportForm);
  var gatherForm = document.getElementById("gather-form");
  if (gatherForm) {
    enhanceGatherForm(gatherForm);
  }
})();
