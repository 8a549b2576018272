// The supervision pages, one chunk loaded when first needed (src/lazy.jsx): Bawaslu's reports, discrepancies and
// findings, a finding's page, and the KPU officers' list of recommendations addressed to them.
export { AdviceTab } from './AdviceTab.jsx';
export { DiscrepanciesTab } from './DiscrepanciesTab.jsx';
export { FindingPage } from './FindingPage.jsx';
export { FindingsTab } from './FindingsTab.jsx';
export { ReportsTab } from './ReportsTab.jsx';
