// The live meeting page (meetings/live.html): counts down on its own, polls for changes
// with the ETag it was given (a 304 costs the server almost nothing) and sends the
// facilitator's and the dot-vote's forms without leaving the page. Without this file the
// page shows the state at load, with a refresh link, and every form is a plain POST.
"use strict";
(function () {
  const root = document.getElementById("live");
  if (!root) return;
  const data = root.dataset;
  const announcer = document.getElementById("live-announce");
  const messageBox = document.getElementById("live-message");
  const pollMs = Math.max(1, Number(data.pollSeconds) || 1) * 1000;
  const cueSeconds = Number(data.cueSeconds) || 120;
  root.classList.add("is-enhanced");

  const state = {
    etag: data.etag,
    item: data.item || null,
    title: data.itemTitle || "",
    phase: data.phase,
    running: data.running === "1",
    itemLeft: data.itemLeft === "" ? null : Number(data.itemLeft),
    meetingLeft: data.meetingLeft === "" ? null : Number(data.meetingLeft),
    since: performance.now(),
    seen: { item: "", meeting: "" },
    failures: 0,
  };

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (match, name) => (name in values ? values[name] : match));
  }

  function clock(seconds) {
    const hours = Math.floor(seconds / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    const rest = String(seconds % 60).padStart(2, "0");
    return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
  }

  function left(base) {
    if (base === null) return null;
    const elapsed = state.running ? Math.floor((performance.now() - state.since) / 1000) : 0;
    return base - elapsed;
  }

  function timerText(seconds) {
    if (seconds >= 0) return format(data.tLeft, { clock: clock(seconds) });
    return format(data.tOver, { minutes: Math.ceil(-seconds / 60) });
  }

  function stage(seconds) {
    if (seconds === null) return "";
    if (seconds < 0) return "over";
    return seconds <= cueSeconds ? "cue" : "";
  }

  function say(text) {
    if (!announcer || !text) return;
    announcer.textContent = "";
    // A fresh text node after a pause, so screen readers read it even when it repeats.
    window.setTimeout(() => { announcer.textContent = text; }, 50);
  }

  // Cues are read once, when the time crosses them while someone watches.
  function cue(kind, seconds) {
    const now = stage(seconds);
    const before = state.seen[kind];
    state.seen[kind] = now;
    if (before === undefined || before === now || !state.running) return;
    if (now === "cue" && before === "") {
      say(kind === "item" ? format(data.tCue, { title: state.title }) : data.tMeetingCue);
    } else if (now === "over") {
      say(kind === "item" ? format(data.tItemOver, { title: state.title }) : data.tMeetingOver);
    }
  }

  function tick() {
    const values = { item: left(state.itemLeft), meeting: left(state.meetingLeft) };
    root.querySelectorAll(".js-timer").forEach((timer) => {
      const seconds = values[timer.dataset.kind];
      if (seconds === null || seconds === undefined) return;
      const text = timerText(seconds);
      if (timer.textContent !== text) timer.textContent = text;
      timer.classList.toggle("is-cue", stage(seconds) === "cue");
      timer.classList.toggle("is-over", stage(seconds) === "over");
    });
    root.querySelectorAll(".js-cue").forEach((badge) => {
      badge.hidden = stage(values[badge.dataset.kind]) !== "cue";
    });
    cue("item", values.item);
    cue("meeting", values.meeting);
  }

  function replaceRegion(id, html) {
    const region = document.getElementById(id);
    if (!region || region.innerHTML === html) return;
    const active = document.activeElement;
    const hadFocus = Boolean(active && active !== document.body && region.contains(active));
    const focusedId = hadFocus ? active.id : "";
    const openDetails = Array.from(region.querySelectorAll("details[open]"), (d) => d.className);
    region.innerHTML = html;
    openDetails.forEach((name) => {
      const details = name && region.querySelector(`details.${name.split(" ")[0]}`);
      if (details) details.open = true;
    });
    if (hadFocus && !region.contains(document.activeElement)) {
      const again = focusedId && document.getElementById(focusedId);
      const target = again && !again.disabled ? again : region.querySelector("button:not([disabled]), a[href]");
      if (target) target.focus();
    }
  }

  function apply(payload) {
    if (payload.availability && payload.availability !== "open") {
      window.location.reload();
      return;
    }
    Object.entries(payload.regions || {}).forEach(([id, html]) => replaceRegion(id, html));
    const item = payload.item ? String(payload.item.id) : null;
    const changedItem = item !== state.item;
    const wasRunning = state.running;
    state.etag = payload.etag;
    state.item = item;
    state.title = payload.item ? payload.item.title : "";
    state.phase = payload.phase;
    state.running = payload.running;
    state.itemLeft = payload.item_left;
    state.meetingLeft = payload.meeting_left;
    state.since = performance.now();
    if (changedItem && item) {
      state.seen = { item: stage(payload.item_left), meeting: state.seen.meeting };
      say(format(data.tNow, { title: state.title }));
    } else if (wasRunning && !state.running && payload.phase === "paused") {
      say(data.tPaused);
    } else if (!wasRunning && state.running && !changedItem) {
      say(data.tResumed);
    }
    tick();
  }

  // Keyboard users stay where they were: on the same button, or the first one still usable.
  function refocus(id, region) {
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    const again = id && document.getElementById(id);
    const target = again && !again.disabled ? again : region && region.querySelector("button:not([disabled])");
    if (target) target.focus();
  }

  function show(message) {
    if (messageBox) messageBox.textContent = message || "";
  }

  let timer = null;
  function schedule(ms) {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, ms);
  }

  async function poll() {
    try {
      const response = await fetch(data.stateUrl, {
        headers: { Accept: "application/json", "If-None-Match": state.etag },
        cache: "no-store",
        credentials: "same-origin",
      });
      if (response.status === 200) {
        apply(await response.json());
      } else if (response.status !== 304) {
        const body = await response.json().catch(() => ({}));
        if (body.reload) window.location.reload();
        throw new Error(String(response.status));
      }
      state.failures = 0;
    } catch (error) {
      state.failures += 1;
      if (state.failures === 5) show(data.tOffline);
    }
    const slow = document.hidden ? 5 : Math.min(2 ** state.failures, 10);
    schedule(state.failures ? pollMs * slow : document.hidden ? pollMs * 5 : pollMs);
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) schedule(0);
  });

  // Forms inside the page (facilitator controls, dots): sent once, answered with the new state.
  root.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.js-live-form");
    if (!form) return;
    event.preventDefault();
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    const submitterId = event.submitter ? event.submitter.id : "";
    const region = form.closest("[id^='live-']");
    const buttons = Array.from(form.querySelectorAll("button:not([disabled])"));
    buttons.forEach((button) => { button.disabled = true; });
    try {
      // getAttribute: a field named "action" (the dot forms have one) shadows form.action.
      const response = await fetch(form.getAttribute("action"), {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const payload = await response.json();
      show(payload.error || payload.message || "");
      if (payload.regions) apply(payload);
      else if (payload.reload) window.location.reload();
      refocus(submitterId, region);
    } catch (error) {
      HTMLFormElement.prototype.submit.call(form); // the plain POST still works
      return;
    } finally {
      delete form.dataset.busy;
      buttons.forEach((button) => { if (button.isConnected) button.disabled = false; });
    }
    schedule(pollMs);
  });

  tick();
  window.setInterval(tick, 250);
  schedule(pollMs);
})();
