import { describe, expect, it } from "vitest";
import { parseFilter } from "../scim/filter";
import { filterToSql, GROUP_FILTER_TARGET, USER_FILTER_TARGET } from "./scim-filter-sql";

// Attribute names are looked up in the translator's own tables only: a name that every JavaScript
// object inherits is an ordinary unknown attribute (400 invalidFilter), never a crash.
describe("filterToSql with inherited property names", () => {
  it.each([
    "constructor pr",
    'constructor eq "x"',
    'constructor.value eq "x"',
    "toString pr",
    'hasOwnProperty.value eq "x"',
    'emails[constructor eq "x"]',
    'emails.constructor eq "x"',
    'name.toString eq "x"',
    'urn:ietf:params:scim:schemas:core:2.0:User:constructor eq "x"',
    'meta.constructor gt "2026-01-01T00:00:00Z"',
  ])("%s is invalidFilter for users and groups", (filter) => {
    for (const target of [USER_FILTER_TARGET, GROUP_FILTER_TARGET]) {
      expect(() => filterToSql(parseFilter(filter), target)).toThrowError(expect.objectContaining({ status: 400, scimType: "invalidFilter" }));
    }
  });
});
