// The two languages of the ceremony terminal, the plan and the report.
export const LANGS = ['en', 'zh-TW'] as const;
export type Lang = (typeof LANGS)[number];
