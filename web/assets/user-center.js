// 用户中心 (manual 4): the cases the user may follow, newest first, with their status; a double
// click (or Enter) opens one with its history (case-view.js).

import { api } from "./api.js";
import { showClerks } from "./clerks.js";
import { errorBox, formatTime, h, replace } from "./dom.js";
import { showProfile } from "./profile.js";

export const STATUSES = [
  ["", "全部"],
  ["submitted", "已提交"],
  ["accepted", "已受理"],
  ["correction_required", "待补正"],
  ["resubmitted", "已补正"],
  ["not_accepted", "不予受理"],
  ["approved", "已办结(准予)"],
  ["denied", "已办结(不予)"],
  ["withdrawn", "已撤回"],
];
const PAGE_SIZE = 20;

export async function showUserCenter(main, me) {
  const filter = h(
    "select",
    { id: "status-filter", name: "status" },
    STATUSES.map(([value, label]) => h("option", { value }, label)),
  );
  const list = h("div", { class: "case-list" });
  const pager = h("nav", { class: "pager", "aria-label": "分页" });
  let page = 1;

  const load = async () => {
    replace(list, h("p", { class: "hint" }, "正在加载…"));
    const query = new URLSearchParams({ page: String(page), page_size: String(PAGE_SIZE) });
    if (filter.value) query.set("status", filter.value);
    let result;
    try {
      result = await api.get(`/api/v1/cases?${query}`);
    } catch (error) {
      replace(list, errorBox(error));
      replace(pager);
      return;
    }
    replace(list, table(result.items));
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    replace(
      pager,
      h("button", { type: "button", disabled: page <= 1, onclick: () => ((page -= 1), load()) }, "上一页"),
      h("span", {}, `第 ${page} / ${pages} 页,共 ${result.total} 件`),
      h("button", { type: "button", disabled: page >= pages, onclick: () => ((page += 1), load()) }, "下一页"),
    );
  };
  filter.addEventListener("change", () => {
    page = 1;
    load();
  });

  replace(
    main,
    h(
      "section",
      { class: "user-center" },
      h("h1", {}, "用户中心"),
      h("p", { class: "who-line" }, [...new Set([me.name || me.account, me.uscc || me.agency].filter(Boolean))].join(" · ")),
      h("h2", {}, "已办业务"),
      h("div", { class: "filters" }, h("label", { for: "status-filter" }, "状态"), filter),
      list,
      pager,
      me.role === "legal" ? h("div", { id: "profile-module" }) : null,
      me.role === "legal" ? h("div", { id: "clerks-module" }) : null,
    ),
  );
  if (me.role === "legal") {
    showProfile(main.querySelector("#profile-module"));
    showClerks(main.querySelector("#clerks-module"));
  }
  await load();
}

function table(items) {
  if (!items.length) return h("p", { class: "hint" }, "暂无业务。");
  const open = (no) => (location.hash = `#/cases/${encodeURIComponent(no)}`);
  return h(
    "table",
    { class: "cases" },
    h("caption", { class: "visually-hidden" }, "已办业务,双击或按回车查看详细"),
    h("thead", {}, h("tr", {}, ["业务编号", "业务名称", "单位编号", "状态", "提交时间", "更新时间"].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      {},
      items.map((c) =>
        h(
          "tr",
          {
            tabindex: "0",
            dataset: { caseNo: c.case_no, status: c.status },
            ondblclick: () => open(c.case_no),
            onkeydown: (event) => event.key === "Enter" && open(c.case_no),
          },
          h("td", {}, c.case_no),
          h("td", {}, c.item_name),
          h("td", {}, c.unit_no),
          h("td", {}, h("span", { class: `status status-${c.status}` }, c.status_label)),
          h("td", {}, formatTime(c.submitted_at)),
          h("td", {}, formatTime(c.updated_at)),
        ),
      ),
    ),
  );
}
