// Progressive enhancement only: every page works without this file.
"use strict";
document.documentElement.classList.add("js");

// RSVP buttons (Going / Maybe / Can't): one tap saves the answer in place. Without
// JavaScript, or when anything goes wrong, the form posts as usual.
(function () {
  var STATUS = { going: "data-going", maybe: "data-maybe", cant: "data-cant" };

  function enhance(form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || button.name !== "answer" || !window.fetch) {
        return;
      }
      event.preventDefault();
      if (form.getAttribute("aria-busy") === "true") {
        return; // a request is on its way: a double tap must not send two
      }
      form.setAttribute("aria-busy", "true");
      var body = new FormData(form);
      body.set("answer", button.value);
      fetch(form.getAttribute("action"), {
        method: "POST",
        body: body,
        headers: { Accept: "application/json", "X-CSRFToken": body.get("csrfmiddlewaretoken") },
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
          form.querySelectorAll("button[name=answer]").forEach(function (choice) {
            choice.setAttribute("aria-pressed", choice.value === data.answer ? "true" : "false");
          });
          var status = form.querySelector(".rsvp-status");
          if (status && status.hasAttribute(STATUS[data.answer])) {
            status.textContent = status.getAttribute(STATUS[data.answer]);
          }
          ["going", "maybe", "cant"].forEach(function (kind) {
            document.querySelectorAll("[data-rsvp-counts] [data-count=" + kind + "]").forEach(function (node) {
              node.textContent = String(data[kind + "_count"]);
            });
          });
          form.removeAttribute("aria-busy");
        })
        .catch(function () {
          form.removeAttribute("aria-busy");
          var fallback = document.createElement("input");
          fallback.type = "hidden";
          fallback.name = "answer";
          fallback.value = button.value;
          form.appendChild(fallback);
          form.submit();
        });
    });
  }

  document.querySelectorAll("form[data-rsvp]").forEach(enhance);
})();
