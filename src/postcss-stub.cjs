// Stands in for postcss in the Workers build: sanitize-html loads it only to parse `style`
// attributes, which our sanitizer never allows, so it is never called there.
module.exports = {
  parse() {
    throw new Error('postcss is not bundled: style attributes are not sanitized here');
  },
};
