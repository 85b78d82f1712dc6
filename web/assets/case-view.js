// A case (业务详细): its facts, its form under its titles, its materials and its history; 撤回
// while allowed, 补正 (the form as it was, materials kept unless replaced), and for agency staff
// the decisions.

import { decisionForm } from "./agency.js";
import { api } from "./api.js";
import { item as businessItem, materialField } from "./business.js";
import { errorBox, formatTime, h, replace, showFieldErrors } from "./dom.js";
import { formView, renderForm } from "./forms.js";

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
