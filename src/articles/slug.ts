import { stripMarks } from '../shared/text.ts';

/** URL slug of a name: accents folded, lowercase ASCII words joined by hyphens (`Regulación` -> `regulacion`). */
export function slugify(name: string): string {
  return stripMarks(name)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120)
    .replace(/-+$/, '');
}

export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
