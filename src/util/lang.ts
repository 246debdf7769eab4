// The two languages of the ceremony terminal, the plan and the report.
export type Lang = 'en' | 'zh-TW';
