/**
 * The change under review, as reporters for review systems need it: which lines of each file (at
 * the new revision) were added or are shown as context, so that comments land on diff lines.
 */
export interface ChangedFileLines {
  /** Path at the new revision, relative to the repository root. */
  file: string;
  /** Path at the base when the file was renamed or copied. */
  oldFile?: string;
  status: 'added' | 'modified' | 'renamed' | 'deleted';
  /** 1-based lines added or changed at the new revision, ascending. */
  added: number[];
  /** 1-based unchanged lines shown in the diff's hunks, ascending. */
  context: number[];
}

export interface ChangeInfo {
  /** What the change is compared with ("abc1234", "origin/main", "the patch's old side"). */
  base: string;
  /** What is reviewed ("the working tree", a commit). */
  head: string;
  /** Full commit id of the head when it is a commit (not the working tree). */
  headCommit?: string;
  files: ChangedFileLines[];
}
