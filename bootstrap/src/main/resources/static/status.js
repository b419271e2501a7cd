// Busbar status page: polls /actuator/health (details), /actuator/redundancy and, when a target has
// dead letters, /actuator/deadletters; renders what it finds and says in words what is wrong.
// With energy accounting it lists the groups out of balance in the last interval closed.
"use strict";

const POLL_MS = 1000;
const STALE_BACKLOG_SECONDS = 300; // the targets health indicator turns DEGRADED after five minutes
const seenSwitchovers = {}; // pair -> switchovers seen while this page is open, newest first
const droppedSeen = {}; // pair -> live values dropped as of the last refresh

function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c]);
}

function ago(iso) {
  if (!iso) return "never";
  const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 60) return seconds + " s ago";
  if (seconds < 3600) return Math.round(seconds / 60) + " min ago";
  return Math.round(seconds / 3600) + " h ago";
}

function time(iso) {
  return iso ? esc(new Date(iso).toLocaleString()) + " (" + ago(iso) + ")" : "—";
}

function yesNo(flag, goodWhen) {
  const good = flag === goodWhen;
  return '<span class="tag ' + (good ? "ok" : "bad") + '">' + (flag ? "yes" : "no") + "</span>";
}

async function getJson(path) {
  const response = await fetch(path, {headers: {"Accept": "application/json"}, cache: "no-store"});
  if (!response.ok && response.status !== 503) { // health answers 503 with its body when DOWN
    throw new Error(path + " answered HTTP " + response.status);
  }
  return response.json();
}

function pairProblems(name, pair) {
  const problems = [];
  if (pair.waiting) {
    problems.push(["bad", "Pair " + name + " is not running: it waits for " + pair.waiting.for + " (" + pair.waiting.reason + ")"]);
    return problems;
  }
  if (pair.status === "DOWN") problems.push(["bad", "Pair " + name + " has no healthy server: no readings are forwarded"]);
  for (const role of ["primary", "secondary"]) {
    const server = pair.servers?.[role];
    if (!server || !server.configured) continue;
    const isActive = pair.active === role;
    if (isActive && server.stale) problems.push(["bad", "Pair " + name + ": the active " + role + " server is stale (values stopped changing)"]);
    const standby = pair.active === "none" ? "" : "standby "; // with no active server there is no standby either
    if (!server.healthy && !isActive) problems.push(["warn", "Pair " + name + ": the " + standby + role + " server is unhealthy: " + server.reason]);
    if (!server.healthy && isActive && !server.stale) problems.push(["warn", "Pair " + name + ": the active " + role + " server fails a check: " + server.reason]);
    if (server.deadItems > 0) problems.push(["warn", "Pair " + name + ": " + server.deadItems + " dead items on the " + role + " server"]);
  }
  const unfilled = pair.completeness?.unfilledSeconds ?? 0;
  if (unfilled > 0) problems.push(["bad", "Pair " + name + ": " + unfilled + " s of readings could not be backfilled (see holes)"]);
  // a problem while the count grows (ingest is behind now); the card keeps the total since the start
  const dropped = pair.completeness?.droppedSamples ?? 0;
  if (dropped > (droppedSeen[name] ?? 0)) problems.push(["warn", "Pair " + name + ": ingest cannot keep up; "
    + (dropped - (droppedSeen[name] ?? 0)) + " live values dropped since the last refresh, read back from history"]);
  droppedSeen[name] = dropped;
  if (pair.status === "DEGRADED" && problems.length === 0) problems.push(["warn", "Pair " + name + " runs without full redundancy"]);
  return problems;
}

function targetProblems(name, target) {
  const problems = [];
  if (target.deadLetters > 0) problems.push(["warn", "Target " + name + " has " + target.deadLetters + " dead letters: replay after a fix, or purge"]);
  if (target.oldestUndeliveredSeconds > STALE_BACKLOG_SECONDS) {
    problems.push(["bad", "Target " + name + " is behind: its oldest undelivered reading is " + Math.round(target.oldestUndeliveredSeconds) + " s old"]);
  }
  return problems;
}

function accountingProblems(name, pair) {
  const problems = (pair.groupsOutOfBalance ?? []).map(g => ["warn", "Group " + g.group + " (pair " + name + ") is out of balance: "
    + g.difference + " " + (g.unit ?? "") + " (" + (g.percent ?? "—") + " %) between its parent meter and its members, "
    + g.quantity + "@" + g.interval + " until " + new Date(g.end).toLocaleString()]);
  if (pair.totalsProblem) problems.push(["warn", "Billing totals of pair " + name + " are not written: " + pair.totalsProblem]);
  return problems;
}

function renderAccounting(pairs) {
  return Object.entries(pairs).map(([name, p]) => {
    const groups = p.groupsOutOfBalance ?? [];
    const rows = groups.map(g => '<tr data-group="' + esc(g.group) + '"><td>' + esc(g.group) + "</td><td>" + esc(g.quantity) + "@"
      + esc(g.interval) + "</td><td>" + esc(g.start) + " → " + esc(g.end) + "</td><td>" + esc(g.parent) + "</td><td>" + esc(g.sum)
      + '</td><td class="difference">' + esc(g.difference) + " " + esc(g.unit) + '</td><td class="percent">' + esc(g.percent ?? "—")
      + " %</td><td>" + esc(g.estimated) + "</td></tr>");
    const balance = groups.length === 0 ? "<p>Every group with a parent meter balances in the last interval closed.</p>"
      : '<div class="scroll"><table><tr><th>Group</th><th>Register</th><th>Interval</th><th>Parent</th><th>Members</th>'
        + "<th>Difference</th><th>Percent</th><th>Estimated</th></tr>" + rows.join("") + "</table></div>";
    const totals = "lastTotals" in p ? "<p>Billing totals: last written for " + (p.lastTotals ? esc(p.lastTotals) : "no moment yet")
      + (p.totalsProblem ? ' <span class="tag bad">' + esc(p.totalsProblem) + "</span>" : "") + "</p>" : "";
    return '<div class="card" data-accounting="' + esc(name) + '"><h3>' + esc(name) + "</h3>"
      + "<p>Last interval closed: " + esc(p.lastIntervalClosed ?? "none yet") + " · estimates not yet replaced: "
      + esc(p.estimatedIntervals) + " · late readings: " + esc(p.lateReadings) + "</p>"
      + '<p class="balance-summary">' + (groups.length === 0 ? '<span class="tag ok">in balance</span>'
        : '<span class="tag warn">' + groups.length + " out of balance</span>") + "</p>" + balance + totals + "</div>";
  }).join("") || "<p>No pair is accounted.</p>";
}

function renderServer(role, server, active) {
  if (!server || !server.configured) return "<tr><td>" + role + "</td><td colspan=8>not configured</td></tr>";
  const state = server.healthy ? '<span class="tag ok">healthy</span>' : '<span class="tag bad">unhealthy</span> ' + esc(server.reason);
  return "<tr" + (active ? ' class="active-server"' : "") + ">"
    + "<td>" + role + (active ? ' <span class="tag ok">ACTIVE</span>' : "") + "</td>"
    + "<td class=wrap>" + state + "</td>"
    + "<td>" + yesNo(server.connected, true) + "</td>"
    + "<td>" + esc(server.serviceLevel ?? "—") + "</td>"
    + "<td>" + yesNo(server.stale, false) + "</td>"
    + "<td>" + esc(server.deadItems) + " / " + esc(server.items) + "</td>"
    + "<td>" + (server.lastValueAt ? ago(server.lastValueAt) : "never") + "</td></tr>";
}

function rememberSwitchover(name, last) {
  if (!last) return;
  const list = seenSwitchovers[name] ??= [];
  if (!list.some(s => s.at === last.at)) list.unshift(last);
  list.length = Math.min(list.length, 10);
}

function renderPair(name, pair) {
  if (pair.waiting) {
    return '<div class="card" data-pair="' + esc(name) + '"><h3>' + esc(name) + ' <span class="tag bad">DOWN</span></h3>'
      + "<p>Not running yet: waits for " + esc(pair.waiting.for) + ".<br>Reason: " + esc(pair.waiting.reason)
      + "<br>Since " + time(pair.waiting.since) + ", attempt " + esc(pair.waiting.attempts) + ", next " + time(pair.waiting.nextAttemptAt) + "</p></div>";
  }
  rememberSwitchover(name, pair.lastSwitchover);
  const statusClass = pair.status === "UP" ? "ok" : pair.status === "DEGRADED" ? "warn" : "bad";
  const last = pair.lastSwitchover;
  const since = last ? time(last.at) : "the start (no switchover yet)";
  const completeness = pair.completeness ?? {unfilledSeconds: 0, holes: [], backfilling: false};
  const holes = completeness.holes.length === 0 ? "<p>No holes: every second was delivered or backfilled.</p>"
    : "<ol>" + completeness.holes.map(h => "<li>" + esc(h.from) + " → " + esc(h.to) + " (" + esc(h.seconds) + " s, "
      + esc(h.server) + "): " + esc(h.reason) + "</li>").join("") + "</ol>";
  const backfill = pair.lastBackfill ? "<p>Last backfill: " + esc(pair.lastBackfill.readings) + " readings from the "
    + esc(pair.lastBackfill.server) + " server, " + esc(pair.lastBackfill.from) + " → " + esc(pair.lastBackfill.to)
    + (pair.lastBackfill.problem ? ", problem: " + esc(pair.lastBackfill.problem) : "") + "</p>" : "";
  const history = (seenSwitchovers[name] ?? []).map(s => "<li>" + time(s.at) + ": " + esc(s.from) + " → " + esc(s.to)
    + " — " + esc(s.reason) + "</li>").join("");
  return '<div class="card" data-pair="' + esc(name) + '">'
    + "<h3>" + esc(name) + ' <span class="tag ' + statusClass + '">' + esc(pair.status) + "</span></h3>"
    + '<p>Active: <b class="active">' + esc(pair.active) + "</b> since " + since
    + " · mode " + esc(pair.mode) + (pair.forced && pair.forced !== "auto" ? " · <b>forced to " + esc(pair.forced) + "</b>" : "") + "</p>"
    + '<div class="scroll"><table><tr><th>Server</th><th>State</th><th>Connected</th><th>ServiceLevel</th><th>Stale</th>'
    + "<th>Dead items</th><th>Last value</th></tr>"
    + renderServer("primary", pair.servers?.primary, pair.active === "primary")
    + renderServer("secondary", pair.servers?.secondary, pair.active === "secondary") + "</table></div>"
    + '<p class="last-switchover">' + (last ? "Last switchover: " + esc(last.from) + " → " + esc(last.to) + " at " + time(last.at)
      + " — " + esc(last.reason) : "No switchover since the start") + " · " + esc(pair.switchovers) + " in total</p>"
    + (history ? "<details><summary>Switchovers seen on this page</summary><ul class=plain>" + history + "</ul></details>" : "")
    + "<p>Completeness: " + (completeness.backfilling ? '<span class="tag warn">backfilling now</span> ' : "")
    + (completeness.unfilledSeconds > 0 ? '<span class="tag bad">' + esc(completeness.unfilledSeconds) + " s unfilled</span>"
      : '<span class="tag ok">nothing lost</span>')
    + (completeness.droppedSamples > 0 ? ' <span class="tag warn">' + esc(completeness.droppedSamples)
      + " live values dropped (ingest behind), read back from history</span>" : "") + "</p>" + holes + backfill + "</div>";
}

function renderTargets(targets, sources, letters) {
  const rows = Object.entries(targets).map(([name, t]) => {
    const behind = t.oldestUndeliveredSeconds > STALE_BACKLOG_SECONDS;
    return '<tr data-target="' + esc(name) + '"><td>' + esc(name) + "</td><td>" + esc(t.queuedBatches) + "</td>"
      + '<td class="' + (behind ? "bad" : "") + '">' + esc(Math.round(t.oldestUndeliveredSeconds)) + " s</td>"
      + deadLetterCells(name, t.deadLetters, letters) + "</tr>";
  });
  const sourceRows = Object.entries(sources).map(([pair, s]) => '<tr data-target="source:' + esc(pair) + '"><td>source '
    + esc(pair) + "</td><td>—</td><td>—</td>" + deadLetterCells("source:" + pair, s.deadLetters, letters) + "</tr>");
  return '<div class="card scroll"><table><tr><th>Target</th><th>Queued batches</th><th>Oldest undelivered</th>'
    + "<th>Dead letters</th><th>Latest reason</th><th></th></tr>" + rows.join("") + sourceRows.join("") + "</table></div>";
}

function deadLetterCells(name, count, letters) {
  const sample = letters?.targets?.[name]?.samples?.[0];
  const buttons = count > 0
    ? '<button class="replay" data-name="' + esc(name) + '">Replay</button><button class="purge" data-name="' + esc(name) + '">Purge</button>'
    : "";
  return '<td class="dead-letters ' + (count > 0 ? "warn" : "") + '">' + esc(count) + "</td>"
    + '<td class="wrap">' + (sample ? esc(sample.reason ?? sample.exception ?? "") : "") + "</td><td>" + buttons + "</td>";
}

async function act(name, action) {
  const question = action === "purge"
    ? "Delete every dead letter of " + name + "? They are gone for good."
    : "Send the dead letters of " + name + " again?";
  if (!window.confirm(question)) return;
  const result = document.getElementById("action-result");
  try {
    const response = await fetch("actuator/deadletters/" + encodeURIComponent(name), {
      method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({action})});
    const body = await response.json();
    result.textContent = response.ok ? action + " " + name + ": " + body.messages + " messages, " + body.remaining + " remaining"
      : action + " " + name + " failed: HTTP " + response.status;
  } catch (e) {
    result.textContent = action + " " + name + " failed: " + e.message;
  }
  refresh();
}

function renderVerdict(problems, overall) {
  const verdict = document.getElementById("verdict");
  const worst = problems.some(p => p[0] === "bad") || overall === "DOWN" ? "bad" : problems.length > 0 || overall !== "UP" ? "warn" : "ok";
  verdict.className = "verdict " + worst;
  verdict.textContent = worst === "ok" ? "All good: every pair runs on a healthy server and every target keeps up (" + overall + ")"
    : worst === "warn" ? "Needs attention (" + overall + "): " + problems.length + " finding(s) below"
    : "Problem (" + overall + "): readings are at risk, see below";
  document.getElementById("problems").innerHTML = problems.map(p => '<li class="' + p[0] + '">' + esc(p[1]) + "</li>").join("");
}

async function refresh() {
  try {
    const [health, redundancy] = await Promise.all([getJson("actuator/health"), getJson("actuator/redundancy")]);
    const pairs = redundancy.pairs ?? {};
    const targetDetails = health.components?.targets?.details ?? {targets: {}, sources: {}};
    const anyDead = Object.values(targetDetails.targets).some(t => t.deadLetters > 0)
      || Object.values(targetDetails.sources).some(s => s.deadLetters > 0);
    const letters = anyDead ? await getJson("actuator/deadletters") : null;
    const problems = [];
    Object.entries(pairs).forEach(([name, pair]) => problems.push(...pairProblems(name, pair)));
    Object.entries(targetDetails.targets).forEach(([name, t]) => problems.push(...targetProblems(name, t)));
    Object.entries(targetDetails.sources).filter(([, s]) => s.deadLetters > 0).forEach(([pair, s]) =>
      problems.push(["warn", "Source pair " + pair + " has " + s.deadLetters + " dead letters (unmappable or rejected values)"]));
    const accounting = health.components?.accounting?.details;
    const accounted = accounting?.enabled ? accounting.pairs ?? {} : null;
    if (accounted) Object.entries(accounted).forEach(([name, p]) => problems.push(...accountingProblems(name, p)));
    renderVerdict(problems, health.status);
    document.getElementById("accounting-section").hidden = !accounted;
    if (accounted) document.getElementById("accounting").innerHTML = renderAccounting(accounted);
    document.getElementById("pairs").innerHTML = Object.entries(pairs).map(([n, p]) => renderPair(n, p)).join("")
      || "<p>No source pairs configured.</p>";
    document.getElementById("targets").innerHTML = renderTargets(targetDetails.targets, targetDetails.sources, letters);
    document.getElementById("updated").textContent = new Date().toLocaleTimeString();
  } catch (e) {
    const verdict = document.getElementById("verdict");
    verdict.className = "verdict bad";
    verdict.textContent = "Cannot reach Busbar: " + e.message + " (last good update " + document.getElementById("updated").textContent + ")";
  }
}

document.addEventListener("click", event => {
  const button = event.target.closest("button.replay, button.purge");
  if (button) act(button.dataset.name, button.classList.contains("replay") ? "replay" : "purge");
});
refresh();
setInterval(refresh, POLL_MS);
