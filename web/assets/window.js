// The agency window (manual 3.1.2): 选择用户类别 企业用户, search by credit code or unit number,
// the unit's information, 详细信息 (保险种类, 单位编号, 参保机构), and the business
// 公共服务单位用户授权 (window-authorization.js). Also 信用代码维护 for a unit whose credit code
// lags behind the enterprise's.

import { api } from "./api.js";
import { insuranceName } from "./clerks.js";
import { errorBox, h, replace } from "./dom.js";
import { showAuthorization } from "./window-authorization.js";

const USCC = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

export function showWindow(main) {
  const query = h("input", { id: "window-query", autocomplete: "off", placeholder: "统一社会信用代码或单位编号" });
  const kind = h("select", { id: "window-kind" }, h("option", { value: "enterprise" }, "企业用户"));
  const results = h("div", { class: "window-results" });
  const search = async (event) => {
    event.preventDefault();
    const text = query.value.trim().toUpperCase();
    const param = USCC.test(text) ? `uscc=${encodeURIComponent(text)}` : `unit_no=${encodeURIComponent(query.value.trim())}`;
    try {
      const found = (await api.get(`/api/v1/agency/enterprises?${param}`)).items;
      replace(results, found.length ? found.map((e) => enterpriseCard(e)) : h("p", { class: "hint" }, "未找到该单位信息!"));
    } catch (error) {
      replace(results, errorBox(error));
    }
  };
  replace(
    main,
    h(
      "section",
      { class: "window" },
      h("h1", {}, "经办窗口"),
      h(
        "form",
        { role: "search", class: "search", onsubmit: search },
        h("label", { for: "window-kind" }, "用户类别"),
        kind,
        h("label", { for: "window-query" }, "单位"),
        query,
        h("button", { type: "submit", class: "primary" }, "搜索"),
      ),
      results,
    ),
  );
}

function enterpriseCard(enterprise) {
  const details = h("div", { class: "details", hidden: true });
  const work = h("div", { class: "window-work" });
  replace(
    details,
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, ["单位编号", "保险种类", "参保机构", "信用代码维护"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        enterprise.units.flatMap((unit) =>
          unit.relations.map((r, index) =>
            h(
              "tr",
              {},
              h("td", {}, unit.unit_no),
              h("td", {}, insuranceName(r.insurance)),
              h("td", {}, r.agency),
              h("td", {}, index === 0 ? creditCodeButton(unit.unit_no, enterprise.uscc) : ""),
            ),
          ),
        ),
      ),
    ),
  );
  return h(
    "article",
    { class: "enterprise-card" },
    h(
      "dl",
      { class: "facts" },
      [h("dt", {}, "单位名称"), h("dd", {}, enterprise.name)],
      [h("dt", {}, "统一社会信用代码"), h("dd", {}, enterprise.uscc)],
      [h("dt", {}, "单位地址"), h("dd", {}, enterprise.address || "")],
      [h("dt", {}, "法人姓名"), h("dd", {}, enterprise.legal_rep_name)],
      [h("dt", {}, "法人手机号"), h("dd", {}, enterprise.legal_rep_phone || "")],
    ),
    h(
      "p",
      { class: "actions" },
      h("button", { type: "button", onclick: () => (details.hidden = !details.hidden) }, "详细信息"),
      h("button", { type: "button", class: "primary", onclick: () => showAuthorization(work, enterprise) }, "公共服务单位用户授权 · 业务办理"),
    ),
    details,
    work,
  );
}

function creditCodeButton(unitNo, uscc) {
  const status = h("span", { class: "hint" });
  return h(
    "span",
    {},
    h(
      "button",
      {
        type: "button",
        onclick: async () => {
          if (!window.confirm(`将单位编号 ${unitNo} 的统一社会信用代码维护为 ${uscc}?`)) return;
          try {
            await api.post(`/api/v1/agency/units/${encodeURIComponent(unitNo)}/credit-code`, { uscc });
            replace(status, " 已维护");
          } catch (error) {
            replace(status, h("span", { class: "field-error" }, ` ${error.message}`));
          }
        },
      },
      "信用代码维护",
    ),
    status,
  );
}

// 公共服务单位用户授权: materials, clerks, relations, 提交办理.
