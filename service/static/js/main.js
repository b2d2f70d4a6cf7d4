// ecoclaim web page: plain JavaScript modules, no framework, no build step, no external requests.
// One module a job: util/http (shared), store (the case text, autosave), draft + caseform + yaml
// (起草), timeline (期限), series (系列案件), review (审查), compare (版本比较), law (规则与法规).

import { setupCompare } from "./compare.js";
import { offerJurisdictions } from "./caseform.js";
import { restoreView, setupDraft } from "./draft.js";
import { call, setupToken, showProblem } from "./http.js";
import { setupLaw } from "./law.js";
import { setupReview } from "./review.js";
import { setupSeries } from "./series.js";
import { setupStore } from "./store.js";
import { setupTimeline } from "./timeline.js";
import { $, $$ } from "./util.js";

function selectTab(tab, focus = true) {
  for (const t of $$("[role=tab]")) {
    const on = t === tab;
    t.setAttribute("aria-selected", on ? "true" : "false");
    t.tabIndex = on ? 0 : -1;
    $("#" + t.getAttribute("aria-controls")).hidden = !on;
  }
  if (focus) tab.focus();
  history.replaceState(null, "", "#" + tab.id.replace(/^tab-/, ""));
}

function setupTabs() {
  const tabs = $$("[role=tab]");
  for (const t of tabs) {
    t.addEventListener("click", () => selectTab(t));
    t.addEventListener("keydown", (e) => {
      const i = tabs.indexOf(t);
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        e.preventDefault();
        selectTab(tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length]);
      } else if (e.key === "Home") { e.preventDefault(); selectTab(tabs[0]); }
      else if (e.key === "End") { e.preventDefault(); selectTab(tabs[tabs.length - 1]); }
    });
  }
  const wanted = location.hash && $("#tab-" + location.hash.slice(1));
  if (wanted && wanted.getAttribute("role") === "tab") selectTab(wanted, false);
}

async function start() {
  setupToken();
  setupTabs();
  setupTimeline();
  setupSeries();
  let catalogue;
  try {
    const [forms, examples, jurisdictions] = await Promise.all(
      ["/forms", "/examples", "/jurisdictions"].map((p) => call(p).then((r) => r.json())));
    catalogue = { forms, examples, jurisdictions };
  } catch (err) {
    showProblem(err);
    catalogue = { forms: [], examples: [], jurisdictions: [] };
  }
  offerJurisdictions(catalogue.jurisdictions);
  setupDraft(catalogue);
  setupReview(catalogue);
  setupCompare(catalogue);
  setupLaw(catalogue);
  setupStore();  // after the parts above: restoring the saved case notifies them
  restoreView();
  document.body.dataset.ready = "1";
}

start();
