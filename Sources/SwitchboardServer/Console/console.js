// The Switchboard console: a few views over the admin API. Everything it shows is put on the
// page as text (textContent), never as markup: message texts are written by callers.
// The admin token stays in this tab's sessionStorage and travels only in the Authorization header.
"use strict";

const tokenKey = "switchboard.adminToken";
const inboxPollMilliseconds = 2000;
const inboxRowsShown = 200;

const state = {
  inbox: [],
  inboxNext: 0,
  inboxTimer: null,
  messagesNext: null,
  messagesQuery: null,
  previousView: "messages",
};

function $(id) {
  return document.getElementById(id);
}

/// An element with text (never HTML) and optional class.
function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    const td = document.createElement("td");
    if (cell instanceof Node) td.appendChild(cell);
    else td.textContent = cell === undefined || cell === null ? "" : String(cell);
    tr.appendChild(td);
  }
  return tr;
}

function showError(id, message) {
  const node = $(id);
  node.textContent = message;
  node.hidden = !message;
}

function time(text) {
  if (!text) return "";
  const date = new Date(text);
  return isNaN(date) ? text : date.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

class APIFailure extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/// GET an admin endpoint with the token; answers the parsed JSON or throws an APIFailure.
async function api(path, params, token) {
  // encodeURIComponent, not URLSearchParams: the server reads "+" as a plus sign (numbers start
  // with one), so a space must travel as %20, never as "+".
  const query = Object.entries(params || {})
    .filter(([, value]) => value !== undefined && value !== null && value !== "")
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join("&");
  const url = query ? `${path}?${query}` : path;
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${token || sessionStorage.getItem(tokenKey)}` },
    cache: "no-store",
    credentials: "omit",
  });
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = null;
  }
  if (!response.ok) {
    const error = (body && body.error) || {};
    const failure = new APIFailure(response.status, error.code || "", error.message || `the server answered ${response.status}`);
    // The token was rotated away or the admin API turned off: back to the login form.
    if (!token && (response.status === 401 || error.code === "admin_disabled")) logOut(failure.message);
    throw failure;
  }
  return body;
}

// --- log in and out ---

async function logIn(event) {
  event.preventDefault();
  const token = $("token").value.trim();
  showError("login-error", "");
  try {
    await api("/admin/providers", {}, token);
  } catch (failure) {
    showError("login-error", failure.message);
    return;
  }
  sessionStorage.setItem(tokenKey, token);
  $("token").value = "";
  start();
}

function logOut(reason) {
  sessionStorage.removeItem(tokenKey);
  clearTimeout(state.inboxTimer);
  state.inboxTimer = null;
  state.inbox = [];
  state.inboxNext = 0;
  $("app").hidden = true;
  $("logout").hidden = true;
  $("login").hidden = false;
  showError("login-error", reason || "");
}

function start() {
  $("login").hidden = true;
  $("app").hidden = false;
  $("logout").hidden = false;
  show("inbox");
  pollInbox();
}

// --- views ---

function show(view) {
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== `view-${view}`;
  for (const tab of document.querySelectorAll(".tab")) tab.classList.toggle("active", tab.dataset.view === view);
  if (view === "messages" && state.messagesQuery === null) searchMessages();
}

function setStatus(text) {
  $("status").textContent = text;
}

// --- inbox, polled ---

async function pollInbox() {
  clearTimeout(state.inboxTimer);
  if (!sessionStorage.getItem(tokenKey)) return;
  try {
    // Catch up a page at a time, then wait for news.
    for (let page = 0; page < 20; page++) {
      const answer = await api("/admin/inbox", { after: state.inboxNext, limit: 100 });
      state.inbox.push(...answer.messages);
      if (typeof answer.next === "number") state.inboxNext = answer.next;
      if (answer.messages.length < 100) break;
    }
    if (state.inbox.length > inboxRowsShown) state.inbox = state.inbox.slice(-inboxRowsShown);
    renderInbox();
    setStatus(`updated ${new Date().toLocaleTimeString()}`);
  } catch (failure) {
    setStatus(`inbox: ${failure.message}`);
  }
  if (sessionStorage.getItem(tokenKey)) state.inboxTimer = setTimeout(pollInbox, inboxPollMilliseconds);
}

function renderInbox() {
  const body = $("inbox-rows");
  body.replaceChildren();
  for (const message of [...state.inbox].reverse()) {
    const link = element("button", "attempts", "link");
    link.type = "button";
    link.addEventListener("click", () => openMessage(message.message_id, "inbox"));
    const tr = row([time(message.received_at), message.to, message.from, element("span", message.text, "text"), message.segments, link]);
    tr.dataset.messageId = message.message_id;
    body.appendChild(tr);
  }
  $("inbox-empty").hidden = state.inbox.length > 0;
}

// --- message log ---

async function searchMessages(event) {
  if (event) event.preventDefault();
  const form = new FormData($("message-filters"));
  state.messagesQuery = Object.fromEntries(form.entries());
  state.messagesNext = null;
  $("message-rows").replaceChildren();
  await loadMessages();
}

async function loadMessages() {
  showError("messages-error", "");
  try {
    const answer = await api("/admin/messages", { ...state.messagesQuery, limit: 50, after: state.messagesNext });
    const body = $("message-rows");
    for (const message of answer.messages) {
      const tr = row([
        time(message.created_at), element("span", message.status, `badge ${message.status}`), message.app, message.kind, message.to,
        message.route, message.provider, element("span", message.text, "text"),
      ]);
      tr.className = "clickable";
      tr.dataset.messageId = message.id;
      tr.addEventListener("click", () => openMessage(message.id, "messages"));
      body.appendChild(tr);
    }
    state.messagesNext = answer.next || null;
    $("messages-more").hidden = !state.messagesNext;
  } catch (failure) {
    showError("messages-error", failure.message);
  }
}

// --- one message and its attempts ---

async function openMessage(id, from) {
  state.previousView = from;
  show("message");
  $("message-id").textContent = id;
  $("message-fields").replaceChildren();
  $("attempt-rows").replaceChildren();
  try {
    const message = await api(`/admin/messages/${encodeURIComponent(id)}`);
    const fields = $("message-fields");
    const shown = [
      ["Status", message.status], ["App", message.app], ["Kind", message.kind], ["To", message.to], ["Country", message.country],
      ["Route", message.route], ["Sender", message.sender], ["Provider", message.provider], ["Provider's id", message.provider_message_id],
      ["Encoding", message.encoding], ["Segments", message.segments], ["Created", time(message.created_at)],
      ["Updated", time(message.updated_at)], ["Text", message.text],
    ];
    // Delivery receipts: the lifecycle they moved the message through, and each as it came.
    if (message.receipts) {
      shown.push(["Lifecycle", message.history.map((step) => `${step.status} ${time(step.at)}`).join(" → ")]);
      shown.push(["Receipts", message.receipts.map((receipt) =>
        `${time(receipt.received_at)} ${receipt.provider_status}${receipt.error_code ? ` (error ${receipt.error_code})` : ""}`).join("; ")]);
    }
    for (const [name, value] of shown) {
      fields.appendChild(element("dt", name));
      fields.appendChild(element("dd", value === undefined ? "" : value));
    }
    const body = $("attempt-rows");
    for (const attempt of message.attempts) {
      body.appendChild(row([
        time(attempt.started_at), attempt.provider, element("span", attempt.outcome, `badge ${attempt.outcome}`), attempt.provider_code,
        attempt.provider_message, attempt.provider_message_id, `${attempt.latency_ms} ms`,
      ]));
    }
    $("attempts-empty").hidden = message.attempts.length > 0;
  } catch (failure) {
    $("message-fields").appendChild(element("dd", failure.message, "error"));
  }
}

// --- explain a route ---

async function explainRoute(event) {
  event.preventDefault();
  showError("route-error", "");
  $("route-result").hidden = true;
  const params = Object.fromEntries(new FormData($("route-form")).entries());
  try {
    const answer = await api("/admin/route", params);
    const explanation = answer.explanation;
    const matched = explanation.matched;
    let summary = `${explanation.number} (${explanation.country}), kind ${explanation.kind}: `;
    if (matched) {
      const chain = (matched.split || []).map((member) => `${member.provider} (weight ${member.weight})`).concat(matched.providers);
      summary += `route '${matched.name}', sender ${matched.sender || "(provider default)"}, providers ${chain.join(", ")}`;
      if (matched.template) summary += `, template ${matched.template}`;
    } else {
      summary += `no rule matched (${explanation.skipped.length} tried); the message cannot be routed`;
    }
    $("route-summary").textContent = summary;
    const body = $("route-rows");
    body.replaceChildren();
    for (const rule of explanation.skipped) body.appendChild(row([rule.rule_index, rule.name, `skipped: ${rule.reasons.join("; ")}`]));
    if (matched) {
      const tr = row([matched.rule_index, matched.name, "matched"]);
      tr.className = "matched";
      body.appendChild(tr);
    }
    $("route-result").hidden = false;
  } catch (failure) {
    showError("route-error", failure.message);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", logIn);
  $("logout").addEventListener("click", () => logOut(""));
  for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => show(tab.dataset.view));
  $("message-filters").addEventListener("submit", searchMessages);
  $("messages-more").addEventListener("click", loadMessages);
  $("message-back").addEventListener("click", () => show(state.previousView));
  $("route-form").addEventListener("submit", explainRoute);
  if (sessionStorage.getItem(tokenKey)) start();
});
