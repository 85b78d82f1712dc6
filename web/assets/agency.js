// The agency's case queue (经办机构): the cases of the staff member's own agency, and on a case
// the decisions its status allows, each with a comment (受理, 不予受理, 补正; then 准予 or 不予).

import { api } from "./api.js";
import { errorBox, formatTime, h, replace, showFieldErrors } from "./dom.js";
import { STATUSES } from "./user-center.js";

const DECISIONS = {
  submitted: [["accept", "受理"], ["not_accept", "不予受理"], ["request_correction", "补正"]],
  resubmitted: [["accept", "受理"], ["not_accept", "不予受理"], ["request_correction", "补正"]],
  accepted: [["approve", "准予"], ["deny", "不予"]],
};

export async function showAgencyQueue(main, me) {
  const filter = h("select", { id: "queue-status" }, STATUSES.map(([value, label]) => h("option", { value }, label)));
  const list = h("div", { class: "case-list" });
  const load = async () => {
    const query = filter.value ? `?status=${encodeURIComponent(filter.value)}` : "";
    try {
      const result = await api.get(`/api/v1/agency/cases${query}`);
      replace(
        list,
        result.items.length
          ? h(
              "table",
              { class: "cases" },
              h("thead", {}, h("tr", {}, ["业务编号", "业务名称", "单位", "状态", "提交时间"].map((t) => h("th", { scope: "col" }, t)))),
              h(
                "tbody",
                {},
                result.items.map((c) =>
                  h(
                    "tr",
                    {
                      tabindex: "0",
                      dataset: { caseNo: c.case_no },
                      ondblclick: () => (location.hash = `#/cases/${encodeURIComponent(c.case_no)}`),
                      onkeydown: (e) => e.key === "Enter" && (location.hash = `#/cases/${encodeURIComponent(c.case_no)}`),
                    },
                    h("td", {}, c.case_no),
                    h("td", {}, c.item_name),
                    h("td", {}, `${c.uscc} / ${c.unit_no}`),
                    h("td", {}, h("span", { class: `status status-${c.status}` }, c.status_label)),
                    h("td", {}, formatTime(c.submitted_at)),
                  ),
                ),
              ),
            )
          : h("p", { class: "hint" }, "没有待办业务。"),
      );
    } catch (error) {
      replace(list, errorBox(error));
    }
  };
  filter.value = "submitted";
  filter.addEventListener("change", load);
  replace(
    main,
    h(
      "section",
      {},
      h("h1", {}, "业务受理"),
      h("p", { class: "who-line" }, me.agency || ""),
      h("div", { class: "filters" }, h("label", { for: "queue-status" }, "状态"), filter),
      list,
    ),
  );
  await load();
}

// The decision form under a case the staff member's agency may decide.
export function decisionForm(c, reload) {
  const choices = DECISIONS[c.status];
  if (!choices) return null;
  const comment = h("textarea", { id: "decision-comment", rows: "3", maxlength: "500" });
  const message = h("div", { class: "form-message" });
  const decide = (action) => async () => {
    replace(message);
    showFieldErrors(form, {});
    try {
      await api.post(`/api/v1/agency/cases/${encodeURIComponent(c.case_no)}/decisions`, { action, comment: comment.value });
      await reload();
    } catch (error) {
      const rest = showFieldErrors(form, error.fields);
      replace(message, errorBox({ message: error.message, fields: rest }));
    }
  };
  const form = h(
    "form",
    { class: "decision", novalidate: true, onsubmit: (e) => e.preventDefault() },
    h("h2", {}, "办理意见"),
    h("div", { class: "field", "data-path": "comment" }, h("label", { for: "decision-comment" }, "意见(不予受理、补正、不予时必填)"), comment),
    message,
    h("div", { class: "actions" }, choices.map(([action, label]) => h("button", { type: "button", class: action === "accept" || action === "approve" ? "primary" : "", onclick: decide(action) }, label))),
  );
  return form;
}
