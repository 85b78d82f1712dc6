// The platform's page: a header whose links follow the session, and the views of the hash
// routes (#/, #/user-center, #/cases/<no>). Everything shown comes from the public API.

import { showAgencyQueue } from "./agency.js";
import { api } from "./api.js";
import { showApplication, showCatalogue, showGuide } from "./business.js";
import { showCase } from "./case-view.js";
import { h, replace } from "./dom.js";
import { openLoginDialog } from "./login.js";
import { showRegistration } from "./register.js";
import { showUserCenter } from "./user-center.js";
import { showWindow } from "./window.js";

const ROLE_NAMES = { legal: "法人", clerk: "办事员", agency: "经办机构" };
const state = { me: null };
const main = document.getElementById("main");
const nav = document.getElementById("nav");

async function whoAmI() {
  // Without the CSRF cookie there is no session cookie either: nothing to ask.
  if (!document.cookie.split("; ").some((part) => part.startsWith("hrss_csrf="))) {
    state.me = null;
    return;
  }
  try {
    state.me = await api.get("/api/v1/me");
  } catch {
    state.me = null;
  }
}

function login(reason) {
  openLoginDialog({
    reason,
    onLoggedIn: async () => {
      await whoAmI();
      location.hash = "#/user-center";
      render();
    },
  });
}

async function logout() {
  try {
    await api.post("/api/v1/auth/logout", {});
  } finally {
    state.me = null;
    location.hash = "#/";
    render();
  }
}

function header() {
  const me = state.me;
  replace(
    nav,
    h(
      "ul",
      {},
      h("li", {}, h("a", { href: "#/" }, "首页")),
      h("li", {}, h("a", { href: "#/business" }, "办事中心")),
      me ? h("li", {}, h("a", { href: "#/user-center" }, me.role === "agency" ? "业务受理" : "用户中心")) : null,
      me && me.role === "agency" ? h("li", {}, h("a", { href: "#/window" }, "经办窗口")) : null,
      me
        ? h("li", { class: "who" }, `${me.name || me.account}(${ROLE_NAMES[me.role] || me.role})`)
        : h("li", {}, h("button", { type: "button", class: "primary", id: "login-button", onclick: () => login() }, "登录 · 企业用户")),
      me ? null : h("li", {}, h("a", { href: "#/register" }, "注册")),
      me ? h("li", {}, h("button", { type: "button", onclick: logout }, "退出")) : null,
    ),
  );
}

function home() {
  replace(
    main,
    h(
      "section",
      { class: "hero" },
      h("h1", {}, "人力资源和社会保障公共服务平台"),
      h("p", {}, "企业法人及办事员使用电子社保卡扫码登录,办理单位社会保险业务。"),
      state.me
        ? h("p", {}, h("a", { class: "button primary", href: "#/user-center" }, "进入用户中心"))
        : h("p", {}, h("button", { type: "button", class: "primary", onclick: () => login() }, "登录")),
    ),
  );
}

async function render() {
  header();
  const [route, search] = (location.hash.replace(/^#/, "") || "/").split("?");
  const query = new URLSearchParams(search || "");
  const caseMatch = route.match(/^\/cases\/([A-Za-z0-9]+)$/);
  const itemMatch = route.match(/^\/business\/([A-Za-z0-9_-]+)(\/apply)?$/);
  const needsLogin = route === "/user-center" || caseMatch || (itemMatch && itemMatch[2]);
  if (needsLogin && !state.me) {
    home();
    return login("请先登录!");
  }
  main.focus();
  if (route === "/user-center") {
    return state.me.role === "agency" ? showAgencyQueue(main, state.me) : showUserCenter(main, state.me);
  }
  if (caseMatch) return showCase(main, decodeURIComponent(caseMatch[1]), state.me);
  if (route === "/window") {
    if (!state.me) {
      home();
      return login("请先登录!");
    }
    if (state.me.role !== "agency") return replace(main, h("p", { class: "error", role: "alert" }, "当前用户无权使用该功能!"));
    return showWindow(main);
  }
  if (route === "/business") return showCatalogue(main, query);
  if (route === "/register") return showRegistration(main);
  if (itemMatch && itemMatch[2]) {
    if (state.me.role === "agency") return replace(main, h("p", { class: "error", role: "alert" }, "当前用户无权使用该功能!"));
    return showApplication(main, itemMatch[1], state.me);
  }
  if (itemMatch) return showGuide(main, itemMatch[1]);
  return home();
}

// A session that ends (logged out elsewhere, expired, the legal representative changed):
// back to the login dialog, with the reason.
window.addEventListener("hrss:session-ended", (event) => {
  if (!state.me) return;
  state.me = null;
  header();
  home();
  login(event.detail.message);
});
window.addEventListener("hashchange", render);

await whoAmI();
render();
