// Majors of GitHub's own actions that stopped working when the service behind them changed (curated, with sources).
export interface Discontinued {
  action: string;
  /** Majors that no longer work. */
  majors: number[];
  date: string;
  replacement: string;
  source: string;
}

export const DISCONTINUED: readonly Discontinued[] = [
  {
    action: "actions/upload-artifact",
    majors: [1, 2, 3],
    date: "2025-01-30",
    replacement: "actions/upload-artifact@v4 or later",
    source: "https://github.blog/changelog/2024-04-16-deprecation-notice-v3-of-the-artifact-actions/",
  },
  {
    action: "actions/download-artifact",
    majors: [1, 2, 3],
    date: "2025-01-30",
    replacement: "actions/download-artifact@v4 or later",
    source: "https://github.blog/changelog/2024-04-16-deprecation-notice-v3-of-the-artifact-actions/",
  },
  {
    action: "actions/cache",
    majors: [1, 2],
    date: "2025-03-01",
    replacement: "actions/cache@v4 or later",
    source: "https://github.blog/changelog/2024-12-05-notice-of-upcoming-releases-and-breaking-changes-for-github-actions/",
  },
];
