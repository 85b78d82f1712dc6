// 用户中心 (manual 4): the cases the user may follow, newest first, with their status; a double
// click (or Enter) opens one with its history.

import { decisionForm } from "./agency.js";
import { api } from "./api.js";
import { showClerks } from "./clerks.js";
import { errorBox, formatTime, h, replace, showFieldErrors } from "./dom.js";
import { item as businessItem, materialField } from "./business.js";
import { formView, renderForm } from "./forms.js";
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

const WITHDRAWABLE = ["submitted", "resubmitted", "correction_required"];

export async function showCase(main, caseNo, me) {
  replace(main, h("p", { class: "hint" }, "正在加载…"));
  let c;
  let item = null;
  try {
    c = await api.get(`/api/v1/cases/${encodeURIComponent(caseNo)}`);
    item = await businessItem(c.item_code).catch(() => null);
  } catch (error) {
    replace(main, h("section", {}, h("h1", {}, "业务详细"), errorBox(error), h("p", {}, h("a", { href: "#/user-center" }, "返回用户中心"))));
    return;
  }
  replace(
    main,
    h(
      "section",
      { class: "case-detail" },
      h("p", {}, h("a", { href: "#/user-center" }, me.role === "agency" ? "← 返回业务受理" : "← 返回用户中心")),
      h("h1", {}, `${c.item_name}`),
      h(
        "dl",
        { class: "facts" },
        fact("业务编号", c.case_no),
        fact("状态", h("span", { class: `status status-${c.status}` }, c.status_label)),
        fact("单位编号", c.unit_no),
        fact("经办机构", c.agency),
        fact("申请人", c.applicant),
        fact("提交时间", formatTime(c.submitted_at)),
      ),
      h("h2", {}, "填报信息"),
      formView(item && item.form, c.form),
      h("h2", {}, "材料"),
      c.materials.length
        ? h(
            "ul",
            { class: "materials" },
            c.materials.map((m) =>
              h(
                "li",
                {},
                `${materialName(item, m.material_code)}:`,
                h("a", { href: `/api/v1/cases/${encodeURIComponent(c.case_no)}/materials/${encodeURIComponent(m.attachment_id)}`, target: "_blank", rel: "noopener" }, m.filename || m.attachment_id),
              ),
            ),
          )
        : h("p", { class: "hint" }, "无"),
      h("h2", {}, "办理记录"),
      h(
        "table",
        { class: "history" },
        h("thead", {}, h("tr", {}, ["时间", "状态", "办理人", "意见"].map((t) => h("th", { scope: "col" }, t)))),
        h(
          "tbody",
          {},
          c.history.map((step) =>
            h("tr", {}, h("td", {}, formatTime(step.at)), h("td", {}, step.status_label), h("td", {}, actorName(step.actor)), h("td", {}, step.comment || "")),
          ),
        ),
      ),
      me.role === "agency" ? decisionForm(c, () => showCase(main, caseNo, me)) : withdrawal(c, () => showCase(main, caseNo, me)),
      me.role !== "agency" && c.status === "correction_required" && item ? resubmission(c, item, () => showCase(main, caseNo, me)) : null,
    ),
  );
}

function withdrawal(c, reload) {
  if (!WITHDRAWABLE.includes(c.status)) return null;
  const message = h("div", { class: "form-message" });
  return h(
    "div",
    { class: "withdrawal" },
    message,
    h(
      "button",
      {
        type: "button",
        onclick: async () => {
          if (!window.confirm("确定撤回该业务?")) return;
          try {
            await api.post(`/api/v1/cases/${encodeURIComponent(c.case_no)}/withdrawal`, {});
            await reload();
          } catch (error) {
            replace(message, errorBox(error));
          }
        },
      },
      "撤回",
    ),
  );
}

const fact = (term, value) => [h("dt", {}, term), h("dd", {}, value)];

function materialName(item, code) {
  const found = item && item.materials.find((m) => m.code === code);
  return found ? found.name : code;
}

function actorName(actor) {
  if (!actor) return "";
  return actor.name || actor.login_name || actor.account || "";
}

// 补正: the form again (as it was, to correct), the materials kept unless replaced, 提交办理.
function resubmission(c, item, reload) {
  const form = renderForm(item.form, c.form);
  const uploaded = {};
  const kept = Object.fromEntries(c.materials.map((m) => [m.material_code, m]));
  const materials = item.materials.map((m) => materialField(m, uploaded, kept[m.code] || null));
  const message = h("div", { class: "form-message" });
  const whole = h(
    "form",
    {
      class: "resubmission",
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        replace(message);
        showFieldErrors(whole, {});
        try {
          await api.post(`/api/v1/cases/${encodeURIComponent(c.case_no)}/resubmission`, { form: form.value(), attachments: { ...uploaded } });
          await reload();
        } catch (error) {
          const rest = showFieldErrors(whole, error.fields);
          replace(message, errorBox({ message: error.message, retryAfter: error.retryAfter, fields: rest }));
        }
      },
    },
    h("h2", {}, "补正材料"),
    form.element,
    h("fieldset", { class: "materials" }, h("legend", {}, "上传材料"), materials),
    message,
    h("button", { type: "submit", class: "primary" }, "提交办理"),
  );
  return whole;
}
