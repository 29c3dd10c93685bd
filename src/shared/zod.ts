import { en } from 'zod/locales';
import { config } from 'zod/mini';

// zod/mini: zod v4's tree-shakable API (`z.string().check(z.maxLength(300))`), which keeps the Workers bundle small
// (the full API brings every method and every locale). It loads no locale: without this line every issue would read
// "Invalid input" instead of the English messages `validation_failed` and configuration errors give.
// Import it as `import * as z from '../shared/zod.ts'`: `import { z }` names the whole namespace and bundles all of zod.
config(en());

export * from 'zod/mini';
