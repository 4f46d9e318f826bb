// DânVận — the counter kiosk of the satisfaction survey.
// Answers go into a queue in localStorage and are sent from there: when the network is down the
// respondent still gets the thank-you screen, and the queue is sent when the network is back.
// The form is emptied after each response and after a period without touch. Without this file
// the form posts normally (the page comes back empty with a thank-you note).
(function () {
  "use strict";
  var form = document.getElementById("kiosk-form");
  if (!form || !window.fetch || !window.localStorage || !window.JSON) { return; }
  var thanks = document.getElementById("kiosk-thanks");
  var status = document.getElementById("kiosk-status");
  var summary = document.getElementById("error-summary");
  var QUEUE = "danvan.kiosk.queue:" + form.getAttribute("data-submit-url");
  var idleMs = (parseInt(form.getAttribute("data-idle-seconds"), 10) || 90) * 1000;
  var thanksMs = (parseInt(form.getAttribute("data-thanks-seconds"), 10) || 4) * 1000;
  var sending = false;
  var offline = false;
  var idleTimer = null;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { window.localStorage.setItem(QUEUE, JSON.stringify(queue)); }
  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function showStatus() {
    var n = load().length;
    status.setAttribute("data-pending", String(n));
    var text = n ? form.getAttribute("data-msg-pending").replace("{n}", String(n)) : "";
    if (n && offline) { text = form.getAttribute("data-msg-offline") + " " + text; }
    status.textContent = text;
  }
  function questions() { return form.querySelectorAll("[data-question]"); }
  function collect() {
    var answers = {};
    Array.prototype.forEach.call(questions(), function (fs) {
      var code = fs.getAttribute("data-question");
      var kind = fs.getAttribute("data-kind");
      var inputs = fs.querySelectorAll("input, textarea");
      if (kind === "multiple") {
        var picked = [];
        Array.prototype.forEach.call(inputs, function (i) { if (i.checked) { picked.push(i.value); } });
        if (picked.length) { answers[code] = picked; }
      } else if (kind === "number" || kind === "text") {
        var text = inputs[0].value.trim();
        if (text) { answers[code] = text; }
      } else {
        Array.prototype.forEach.call(inputs, function (i) { if (i.checked) { answers[code] = i.value; } });
      }
    });
    return answers;
  }
  function clearErrors() {
    Array.prototype.forEach.call(questions(), function (fs) {
      fs.classList.remove("field-error");
      var err = fs.querySelector(".question-error");
      if (err) { err.hidden = true; err.textContent = ""; }
    });
    if (summary) { summary.hidden = true; }
  }
  function validate(answers) {
    var first = null;
    Array.prototype.forEach.call(questions(), function (fs) {
      var missing = fs.getAttribute("data-required") === "1" && !(fs.getAttribute("data-question") in answers);
      var err = fs.querySelector(".question-error");
      fs.classList.toggle("field-error", missing);
      if (err) { err.hidden = !missing; err.textContent = missing ? form.getAttribute("data-msg-required") : ""; }
      if (missing && !first) { first = fs; }
    });
    if (first) {
      var input = first.querySelector("input, textarea");
      first.scrollIntoView({ block: "center" });
      if (input) { input.focus(); }
      return false;
    }
    return true;
  }
  function resetForm() {
    form.reset();
    clearErrors();
    window.scrollTo(0, 0);
  }
  function flush() {
    if (sending) { return; }
    var queue = load();
    if (!queue.length) { offline = false; showStatus(); return; }
    sending = true;
    var item = queue[0];
    window.fetch(form.getAttribute("data-submit-url"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(item),
      credentials: "same-origin"
    }).then(function (r) {
      sending = false;
      offline = false;
      // Recorded (201), already recorded (200), or refused for good (4xx but "too many"):
      // take it off the queue. A server error or "too many" stays queued for a later try.
      if (r.status < 500 && r.status !== 429 && r.status !== 408) {
        save(load().filter(function (x) { return x.client_id !== item.client_id; }));
        showStatus();
        flush();
      } else {
        showStatus();
      }
    }).catch(function () {
      sending = false;
      offline = true;
      showStatus();
    });
  }
  function showThanks() {
    form.hidden = true;
    thanks.hidden = false;
    thanks.focus();
    window.setTimeout(function () {
      thanks.hidden = true;
      form.hidden = false;
      resetForm();
    }, thanksMs);
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var answers = collect();
    if (!validate(answers)) { return; }
    var queue = load();
    queue.push({ client_id: newId(), answered_at: new Date().toISOString(), answers: answers });
    save(queue);
    showThanks();
    showStatus();
    flush();
  });
  form.addEventListener("reset", function () { window.setTimeout(clearErrors, 0); });
  function touched() {
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(function () {
      if (!form.hidden && Object.keys(collect()).length) { resetForm(); }
    }, idleMs);
  }
  ["input", "change", "click", "keydown", "touchstart", "scroll"].forEach(function (name) {
    document.addEventListener(name, touched, { passive: true });
  });
  window.addEventListener("online", flush);
  window.setInterval(flush, 5000);
  if (!thanks.hidden) {  // back from a plain (no-script) submission
    window.setTimeout(function () { thanks.hidden = true; }, thanksMs);
  }
  showStatus();
  flush();
  touched();
})();
