// 登录 → 企业用户 (manual 2.1.2, 3.1.1, 4, 5.2): the e-SSC QR code with the role switch under it,
// its state followed live (a long poll that returns the moment the phone acts), 选择单位 when
// the person holds several enterprises, and 账户登录 with a password.

import { ApiError, api } from "./api.js";
import { errorBox, h, replace } from "./dom.js";
import qrcode from "./vendor/qrcode-generator/qrcode.mjs";

const ROLES = { legal: "法人扫码登录", clerk: "办事员扫码登录" };
const OTHER = { legal: "clerk", clerk: "legal" };
const WAIT_SECONDS = 25;
export const LAST_QR_KEY = "hrss-dev-last-qr"; // the simulator page (development) reads it

export function openLoginDialog({ reason, onLoggedIn }) {
  const dialog = h("dialog", { class: "login-dialog", "aria-labelledby": "login-title" });
  const body = h("div", { class: "login-body" });
  let flow = null; // the QR session being followed; stopped when the dialog closes or switches

  const close = () => {
    if (flow) flow.stop();
    forgetLastQr();
    dialog.close();
    dialog.remove();
  };
  const tabs = h(
    "div",
    { class: "tabs", role: "tablist" },
    h("button", { type: "button", role: "tab", id: "tab-qr", "aria-selected": "true", onclick: () => showQr("legal") }, "扫码登录"),
    h("button", { type: "button", role: "tab", id: "tab-password", "aria-selected": "false", onclick: () => showPassword() }, "账户登录"),
  );
  dialog.append(
    h(
      "div",
      { class: "dialog-head" },
      h("h2", { id: "login-title" }, "企业用户登录"),
      h("button", { type: "button", class: "close", "aria-label": "关闭", onclick: close }, "×"),
    ),
    ...(reason ? [h("p", { class: "notice", role: "alert" }, reason)] : []),
    tabs,
    body,
  );
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    close();
  });
  document.body.append(dialog);
  dialog.showModal();

  const select = (id) => {
    for (const tab of tabs.querySelectorAll("[role=tab]")) tab.setAttribute("aria-selected", String(tab.id === id));
  };
  const done = () => {
    close();
    onLoggedIn();
  };

  function showQr(role) {
    select("tab-qr");
    if (flow) flow.stop();
    flow = followQr(body, role, done, (next) => showQr(next));
  }

  function showPassword() {
    select("tab-password");
    if (flow) flow.stop();
    flow = null;
    const message = h("div", { class: "form-message" });
    const account = h("input", { id: "login-account", name: "account", autocomplete: "username" });
    const password = h("input", { id: "login-password", name: "password", type: "password", autocomplete: "current-password" });
    const form = h(
      "form",
      {
        class: "password-form",
        novalidate: true,
        onsubmit: async (event) => {
          event.preventDefault();
          replace(message);
          try {
            await api.post("/api/v1/auth/login", { account: account.value, password: password.value }, { session: true });
            done();
          } catch (error) {
            replace(message, errorBox(error));
          }
        },
      },
      h("label", { for: "login-account" }, "账号(统一社会信用代码或经办机构账号)"),
      account,
      h("label", { for: "login-password" }, "密码"),
      password,
      message,
      h("button", { type: "submit", class: "primary" }, "登录"),
    );
    replace(body, form);
    account.focus();
  }

  showQr("legal");
}

// One QR session: open it, draw it, wait for its changes until it ends or the flow stops.
function followQr(container, role, done, switchTo) {
  const controller = new AbortController();
  let stopped = false;
  const title = h("h3", { class: "qr-title" }, ROLES[role]);
  const picture = h("div", { class: "qr-picture", role: "img", "aria-label": `${ROLES[role]}二维码` });
  const state = h("p", { class: "qr-state", role: "status", "aria-live": "polite" }, "正在生成二维码…");
  const extra = h("div", { class: "qr-extra" });
  const roleSwitch = h(
    "button",
    { type: "button", class: "link", onclick: () => switchTo(OTHER[role]) },
    `切换为${ROLES[OTHER[role]]}`,
  );
  replace(container, h("div", { class: "qr-login" }, title, picture, state, extra, h("p", { class: "qr-switch" }, roleSwitch)));

  const fresh = (text) =>
    replace(extra, h("p", {}, text), h("button", { type: "button", class: "primary", onclick: () => switchTo(role) }, "刷新二维码"));

  (async () => {
    let session;
    try {
      session = await api.post("/api/v1/auth/qr-sessions", { role }, { signal: controller.signal });
    } catch (error) {
      if (error.name !== "AbortError") {
        replace(state);
        replace(extra, errorBox(error), h("button", { type: "button", onclick: () => switchTo(role) }, "重试"));
      }
      return;
    }
    title.textContent = session.title;
    draw(picture, session.qr_content);
    try {
      localStorage.setItem(LAST_QR_KEY, session.qr_content);
    } catch {
      /* storage may be off: the simulator then takes a pasted content */
    }
    picture.dataset.qrContent = session.qr_content;
    state.textContent = "请使用电子社保卡扫描二维码登录";
    const headers = { "X-QR-Binding": session.binding };
    let last = "pending";
    while (!stopped) {
      let view;
      try {
        view = await api.get(`/api/v1/auth/qr-sessions/${encodeURIComponent(session.qr_id)}?wait=${WAIT_SECONDS}`, {
          headers,
          session: true,
          signal: controller.signal,
        });
      } catch (error) {
        if (stopped || error.name === "AbortError") return;
        if (error instanceof ApiError && error.status === 404) return fresh("二维码已失效,请刷新二维码!");
        state.textContent = error.status === 503 || error.status === 0 ? "连接中断,正在重试…" : error.message;
        await sleep(error.retryAfter ? error.retryAfter * 1000 : 2000);
        continue;
      }
      if (view.status === last && view.status !== "pending") continue;
      last = view.status;
      if (view.status === "pending") continue;
      if (view.status === "scanned") {
        state.textContent = "已扫码,请在手机上确认登录";
        picture.classList.add("dim");
      } else if (view.status === "select_enterprise") {
        state.textContent = "请选择单位";
        replace(extra, picker(view.enterprises || [], session, done));
      } else if (view.status === "authenticated") {
        state.textContent = "登录成功";
        return done();
      } else if (view.status === "expired") {
        picture.classList.add("dim");
        state.textContent = "";
        return fresh("二维码已过期,请刷新二维码");
      } else if (view.status === "cancelled") {
        picture.classList.add("dim");
        state.textContent = "";
        return fresh("已在手机上取消登录");
      } else if (view.status === "rejected") {
        picture.classList.add("dim");
        state.textContent = "";
        replace(extra, h("div", { class: "error", role: "alert" }, h("p", {}, view.error ? view.error.message : "登录被拒绝")));
        extra.append(h("button", { type: "button", class: "primary", onclick: () => switchTo(role) }, "刷新二维码"));
        return;
      }
    }
  })();

  return {
    stop() {
      stopped = true;
      controller.abort();
    },
  };
}

// 选择单位: the enterprises the person holds in this role; one click logs in to it.
function picker(enterprises, session, done) {
  const message = h("div", { class: "form-message" });
  const choose = async (uscc) => {
    replace(message);
    try {
      await api.post(
        `/api/v1/auth/qr-sessions/${encodeURIComponent(session.qr_id)}/selection`,
        { uscc },
        { headers: { "X-QR-Binding": session.binding }, session: true },
      );
      done();
    } catch (error) {
      replace(message, errorBox(error));
    }
  };
  return h(
    "div",
    { class: "picker", role: "group", "aria-label": "选择单位" },
    h("h4", {}, "选择单位"),
    h(
      "ul",
      {},
      enterprises.map((e) =>
        h("li", {}, h("button", { type: "button", class: "enterprise", onclick: () => choose(e.uscc) }, h("strong", {}, e.name), h("span", {}, e.uscc))),
      ),
    ),
    message,
  );
}

function draw(container, content) {
  const code = qrcode(0, "M");
  code.addData(content);
  code.make();
  const image = h("img", { src: code.createDataURL(6, 4), alt: "" });
  replace(container, image);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The simulator's shortcut outlives nothing: gone once the dialog closes (and with it the login).
function forgetLastQr() {
  try {
    localStorage.removeItem(LAST_QR_KEY);
  } catch {
    /* storage off */
  }
}
