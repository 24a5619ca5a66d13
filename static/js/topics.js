// Topics: progressive enhancement only; every form here works without this file.
//  - Support buttons post with fetch() and update the count in place.
//  - The gather page counts the minutes left as organizers pick topics.
"use strict";

(function () {
  function setSupported(form, supported, count) {
    var button = form.querySelector(".support-button");
    var label = form.querySelector(".support-label");
    var action = form.querySelector("input[name=action]");
    form.querySelector(".js-count").textContent = String(count);
    form.querySelector(".js-count-noun").textContent = count === 1 ? "supporter" : "supporters";
    action.value = supported ? "unsupport" : "support";
    label.textContent = supported ? "Supported ✓" : "Support";
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
    var output = document.querySelector(".js-minutes-left");
    var holder = document.getElementById("minutes-left");
    if (!output || !holder) {
      return;
    }
    var left = parseInt(holder.getAttribute("data-minutes-left"), 10) || 0;
    function update() {
      var picked = 0;
      form.querySelectorAll("tbody tr").forEach(function (row) {
        var pick = row.querySelector(".js-pick");
        var minutes = parseInt(row.querySelector(".js-minutes").value, 10);
        if (pick && pick.checked && minutes > 0) {
          picked += minutes;
        }
      });
      var remaining = left - picked;
      output.textContent = String(remaining);
      holder.classList.toggle("is-overfilled", remaining < 0);
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
