/* ICP 备案初审后台: viewer (zoom, rotate, pan, boxes), findings j/k, decision keys,
   reveal of masked values. Plain JS, no dependencies, no inline script (CSP). */
(function () {
  "use strict";
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var csrf = ($('meta[name="csrf-token"]') || {}).content || "";

  /* ---- queue: select all ---- */
  $$("[data-check-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      $$('input[name="' + box.dataset.checkAll + '"]').forEach(function (c) { c.checked = box.checked; });
    });
  });

  /* ---- material viewer ---- */
  var views = {};
  function viewFor(figure) {
    if (!views[figure.id]) { views[figure.id] = { zoom: 1, rot: 0 }; }
    return views[figure.id];
  }
  function layout(figure) {
    var stage = $(".stage", figure);
    if (!stage) { return; }
    var state = viewFor(figure), W = +stage.dataset.width || 1, H = +stage.dataset.height || 1;
    var odd = state.rot % 180 !== 0, uw = odd ? H : W, uh = odd ? W : H;
    var fit = Math.min((stage.clientWidth - 16) / uw, (stage.clientHeight - 16) / uh);
    var scale = Math.max(fit, 0.02) * state.zoom, w = W * scale, h = H * scale;
    var rw = odd ? h : w, rh = odd ? w : h;
    var rotor = $(".rotor", figure), canvas = $(".canvas", figure);
    rotor.style.width = rw + "px";
    rotor.style.height = rh + "px";
    rotor.style.marginTop = Math.max(0, (stage.clientHeight - rh) / 2) + "px";
    canvas.style.width = w + "px";
    canvas.style.height = h + "px";
    canvas.style.left = (rw - w) / 2 + "px";
    canvas.style.top = (rh - h) / 2 + "px";
    canvas.style.transform = "rotate(" + state.rot + "deg)";
  }
  function currentFigure() { return $(".material.on"); }
  function show(figure) {
    if (!figure) { return; }
    $$(".material").forEach(function (f) { f.classList.toggle("on", f === figure); });
    $$(".mat-tab").forEach(function (t) { t.classList.toggle("on", t.dataset.show === figure.id); });
    var img = $("img[data-src]", figure);
    if (img && !img.getAttribute("src")) { img.setAttribute("src", img.dataset.src); }
    applyLayers();
    layout(figure);
  }
  function applyLayers() {
    $$("[data-layer]").forEach(function (box) {
      $$(".overlay").forEach(function (svg) { svg.classList.toggle("hide-" + box.dataset.layer, !box.checked); });
    });
  }
  $$(".mat-tab").forEach(function (tab) {
    tab.addEventListener("click", function () { show(document.getElementById(tab.dataset.show)); });
  });
  $$("[data-layer]").forEach(function (box) { box.addEventListener("change", applyLayers); });
  function zoom(how) {
    var figure = currentFigure(); if (!figure) { return; }
    var state = viewFor(figure);
    state.zoom = how === "fit" ? 1 : Math.min(8, Math.max(0.25, state.zoom * (how === "in" ? 1.25 : 0.8)));
    layout(figure);
  }
  function rotate(by) {
    var figure = currentFigure(); if (!figure) { return; }
    var state = viewFor(figure);
    state.rot = (state.rot + by + 360) % 360;
    layout(figure);
  }
  $$("[data-zoom]").forEach(function (b) { b.addEventListener("click", function () { zoom(b.dataset.zoom); }); });
  $$("[data-rotate]").forEach(function (b) { b.addEventListener("click", function () { rotate(+b.dataset.rotate); }); });
  $$(".stage").forEach(function (stage) {
    var drag = null;
    stage.addEventListener("mousedown", function (e) {
      drag = { x: e.clientX, y: e.clientY, left: stage.scrollLeft, top: stage.scrollTop };
      stage.style.cursor = "grabbing";
    });
    window.addEventListener("mouseup", function () { drag = null; stage.style.cursor = ""; });
    stage.addEventListener("mousemove", function (e) {
      if (!drag) { return; }
      stage.scrollLeft = drag.left - (e.clientX - drag.x);
      stage.scrollTop = drag.top - (e.clientY - drag.y);
    });
    stage.addEventListener("wheel", function (e) {
      if (!e.ctrlKey) { return; }
      e.preventDefault();
      zoom(e.deltaY < 0 ? "in" : "out");
    }, { passive: false });
  });
  window.addEventListener("resize", function () { layout(currentFigure() || document.body); });
  if (currentFigure()) { show(currentFigure()); }

  /* ---- findings: j / k ---- */
  var findings = $$(".finding"), at = -1;
  function focusFinding(index) {
    if (!findings.length) { return; }
    at = (index + findings.length) % findings.length;
    var item = findings[at];
    findings.forEach(function (f) { f.classList.toggle("current", f === item); });
    item.scrollIntoView({ block: "nearest", behavior: "smooth" });
    var figure = item.dataset.material && document.getElementById("mat-" + item.dataset.material);
    if (figure) { show(figure); }
    $$(".overlay polygon[data-finding]").forEach(function (p) {
      p.classList.toggle("current", p.dataset.finding === item.dataset.finding);
    });
  }
  findings.forEach(function (f, i) { f.addEventListener("click", function () { focusFinding(i); }); });
  /* evidence first: the page opens on the finding the server put in focus */
  var focused = $(".finding.current");
  if (focused) {
    at = findings.indexOf(focused);
    $$(".overlay polygon[data-finding]").forEach(function (p) {
      p.classList.toggle("current", p.dataset.finding === focused.dataset.finding);
    });
  }

  /* ---- reject reasons: search the catalogue ---- */
  $$(".reason-search").forEach(function (box) {
    box.addEventListener("input", function () {
      var words = box.value.trim().toLowerCase();
      $$("label.reason", box.closest("form")).forEach(function (label) {
        label.hidden = words !== "" && label.textContent.toLowerCase().indexOf(words) < 0;
      });
      $$("fieldset", box.closest("form")).forEach(function (set) {
        set.hidden = $$("label.reason", set).every(function (l) { return l.hidden; });
      });
    });
  });

  /* ---- decision panels ---- */
  function openPanel(tab) {
    if (!tab) { return; }
    $$(".dtab").forEach(function (t) { t.classList.toggle("on", t === tab); });
    $$(".dpanel").forEach(function (p) { p.classList.toggle("on", p.id === tab.dataset.panel); });
    var panel = document.getElementById(tab.dataset.panel);
    var first = $('input[type="checkbox"]:not([name="then"])', panel) || $('button[type="submit"]', panel);
    if (first) { first.focus(); }
    tab.scrollIntoView({ block: "nearest" });
  }
  $$(".dtab").forEach(function (t) { t.addEventListener("click", function () { openPanel(t); }); });

  /* ---- keyboard ---- */
  document.addEventListener("keydown", function (e) {
    var tag = (e.target.tagName || "").toLowerCase();
    if (e.ctrlKey || e.metaKey || e.altKey || tag === "input" || tag === "textarea" || tag === "select") { return; }
    var key = e.key;
    if (key === "j") { focusFinding(at + 1); }
    else if (key === "k") { focusFinding(at - 1); }
    else if (key === "a" || key === "r" || key === "m") { openPanel($('.dtab[data-key="' + key + '"]')); }
    else if (key === "n") { var next = document.getElementById("next-case-form"); if (next) { next.submit(); } }
    else if (key === "+" || key === "=") { zoom("in"); }
    else if (key === "-") { zoom("out"); }
    else if (key === "0") { zoom("fit"); }
    else if (key === "[") { rotate(-90); }
    else if (key === "]") { rotate(90); }
    else { return; }
    e.preventDefault();
  });

  /* ---- live figures: a batch reprocess, the pipeline page ---- */
  var live = $("[data-live]");
  function showFigures(data) {
    $$("[data-field]", live).forEach(function (el) {
      var value = data[el.dataset.field];
      el.textContent = value === null || value === undefined ? "—" : value;
    });
    $$("[data-fraction]", live).forEach(function (el) {
      el.style.width = Math.round((data.fraction || 0) * 100) + "%";
    });
  }
  if (live && window.fetch) {
    var tick = function () {
      fetch(live.dataset.live, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data) { showFigures(data); }
          if (data && (data.settled || (live.dataset.state && data.state !== live.dataset.state))) {
            window.location.reload();  /* the report, or 已取消 */
            return;
          }
          window.setTimeout(tick, 3000);
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    };
    window.setTimeout(tick, 3000);
  }

  /* ---- live: a case being inspected reloads itself when its run changes ---- */
  var watched = $("[data-watch]");
  if (watched && window.fetch) {
    var poll = function () {
      fetch(watched.dataset.watch, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) {
          if (state && (String(state.run_id) !== watched.dataset.run || state.run_state !== watched.dataset.runState || state.status !== watched.dataset.status)) {
            window.location.reload();
          } else { window.setTimeout(poll, 3000); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 3000);
  }

  /* ---- reveal a card image with its ID number (audited on the server) ---- */
  $$(".reveal-image").forEach(function (button) {
    button.addEventListener("click", function () {
      var img = $("img[data-src]", button.closest("figure"));
      img.setAttribute("src", button.dataset.fullSrc);
      img.dataset.src = button.dataset.fullSrc;
      button.remove();
    });
  });

  /* ---- reveal a masked value (audited on the server) ---- */
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("reveal-form") || !window.fetch) { return; }
    e.preventDefault();
    var key = form.dataset.key;
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf }
    }).then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        $$(".pii").forEach(function (el) {
          if (el.dataset.key === key && Object.prototype.hasOwnProperty.call(data.texts, el.dataset.part)) {
            el.textContent = data.texts[el.dataset.part];
            el.classList.add("revealed");
            el.title = "已显示完整信息（已记入审计日志）";
          }
        });
        $$(".reveal-form").forEach(function (f) { if (f.dataset.key === key) { f.remove(); } });
      })
      .catch(function () { form.submit(); });
  });
})();
