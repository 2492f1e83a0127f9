// Small progressive enhancement; every page works without it.
// Forms marked data-confirm ask before they are sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Elements marked data-poll show a background job's progress: every 2 seconds the JSON
// at that address fills the [data-field] elements inside; when it reports finished, the
// page reloads to show the result (pages set data-poll only while the job runs). Without script the page has a refresh link.
document.querySelectorAll("[data-poll]").forEach(function (box) {
  var url = box.getAttribute("data-poll");
  var timer = window.setInterval(function () {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        box.querySelectorAll("[data-field]").forEach(function (el) {
          var v = data[el.getAttribute("data-field")];
          if (v !== null && v !== undefined) {
            el.textContent = el.getAttribute("data-field") === "seconds_left" ? v + " s" : v;
          }
        });
        if (data.finished) {
          window.clearInterval(timer);
          window.location.reload();
        }
      });
  }, 2000);
});
