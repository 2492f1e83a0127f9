// WerkUrenBerekenaar: small progressive enhancement; the page works without it.
// - shows only the fields that apply (wage kind, cao, partner, children);
// - the job picker fills in its usual FWG scale, and the step list shows the scale's steps;
// - recalculates while you type by re-submitting the same GET form in the background
//   and swapping in the result section (the inputs stay in the address bar only);
// - "Afdrukken / opslaan als PDF" opens the print dialog.
(function () {
  "use strict";
  var form = document.getElementById("berekenaar-form");

  function toggle() {
    if (!form) return;
    var kind = form.elements.loonsoort.value;
    var household = form.elements.huishouden.value;
    var cao = form.elements.cao.value;
    var show = {
      schaal: kind === "schaal",
      uur: kind === "uur",
      jaar: kind === "jaar",
      vvt: cao === "vvt",
      partner: household === "partner",
      kinderen: household !== "alleen"
    };
    // Steps of the chosen scale only (the server checks the combination as well).
    var fwg = form.elements.fwg;
    var job = form.elements.functie;
    var scale = fwg.value;
    if (!scale && job && job.selectedIndex > 0) {
      scale = job.options[job.selectedIndex].getAttribute("data-fwg") || "";
    }
    var allowed = null;
    for (var o = 0; o < fwg.options.length; o++) {
      if (fwg.options[o].value === scale) {
        var list = fwg.options[o].getAttribute("data-treden");
        allowed = list ? list.split("|") : null;
      }
    }
    var steps = form.elements.trede.options;
    for (var t = 1; t < steps.length; t++) {
      steps[t].hidden = allowed !== null && allowed.indexOf(steps[t].value) < 0;
    }
    var blocks = form.querySelectorAll("[data-toon]");
    for (var i = 0; i < blocks.length; i++) {
      blocks[i].hidden = !show[blocks[i].getAttribute("data-toon")];
    }
    // Children: the filled rows plus one empty row; care fields only with a kind of care.
    var rows = form.querySelectorAll(".child");
    var open = true;
    for (var r = 0; r < rows.length; r++) {
      var age = rows[r].querySelector("input[name^=kind]");
      var care = rows[r].querySelector("select");
      var filled = age && age.value.trim() !== "";
      rows[r].hidden = !open;
      open = filled;
      var extra = rows[r].querySelectorAll("input[name^=opvang]");
      for (var e = 0; e < extra.length; e++) {
        extra[e].parentNode.hidden = !care || care.value === "geen";
      }
    }
  }

  var timer = null;
  var latest = 0;

  function syncErrors(doc) {
    var fields = form.querySelectorAll("input[aria-invalid], select[aria-invalid]");
    for (var i = 0; i < fields.length; i++) {
      var fresh = doc.getElementById(fields[i].id);
      if (fresh) fields[i].setAttribute("aria-invalid", fresh.getAttribute("aria-invalid") || "false");
      var msg = document.getElementById(fields[i].id + "-fout");
      var freshMsg = doc.getElementById(fields[i].id + "-fout");
      if (msg && freshMsg) msg.textContent = freshMsg.textContent;
    }
  }

  function recalc() {
    var params = new URLSearchParams(new FormData(form));
    var url = form.getAttribute("action") + "?" + params.toString();
    var mine = ++latest;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) { return res.text(); })
      .then(function (html) {
        if (mine !== latest) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("uitkomst");
        var old = document.getElementById("uitkomst");
        if (!fresh || !old) return;
        old.replaceWith(document.importNode(fresh, true));
        syncErrors(doc);
        if (window.history && history.replaceState) history.replaceState(null, "", url);
      })
      .catch(function () { /* offline: the Bereken button still works */ });
  }

  function schedule() {
    toggle();
    window.clearTimeout(timer);
    timer = window.setTimeout(recalc, 350);
  }

  if (form) {
    // Choosing a job title sets the scale to the job's usual FWG.
    form.elements.functie.addEventListener("change", function () {
      var opt = this.options[this.selectedIndex];
      var scale = opt ? opt.getAttribute("data-fwg") : null;
      if (scale) form.elements.fwg.value = scale;
    });
    toggle();
    if (window.fetch && window.URLSearchParams && window.DOMParser) {
      form.addEventListener("input", schedule);
      form.addEventListener("change", schedule);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        window.clearTimeout(timer);
        recalc();
      });
    } else {
      form.addEventListener("change", toggle);
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("#afdrukken") : null;
    if (link && window.print) {
      event.preventDefault();
      window.print();
    }
    var share = event.target.id === "deellink" ? event.target : null;
    if (share) share.select();
  });

  if (document.querySelector(".print-view") && window.print && /[?&]afdrukken=/.test(location.search)) {
    window.addEventListener("load", function () { window.print(); });
  }
})();
