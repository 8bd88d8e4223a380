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
      expect(() => filterToSql(parseFilter(filter), target)).toThrowError(
        expect.objectContaining({ status: 400, scimType: "invalidFilter" }),
      );
    }
  });
});

describe("filterToSql with dates PostgreSQL cannot hold", () => {
  it.each([
    'meta.created gt "0000-01-01T00:00:00Z"',
    'meta.lastModified lt "9999-12-31T23:59:59-14:00"',
    'meta.created eq "0001-01-01T00:00:00+14:00"',
  ])("%s is invalidFilter", (filter) => {
    expect(() => filterToSql(parseFilter(filter), USER_FILTER_TARGET)).toThrowError(
      expect.objectContaining({
        status: 400,
        scimType: "invalidFilter",
        detail: expect.stringMatching(/0001 and 9999/),
      }),
    );
  });

  it("accepts the first and last representable instants", () => {
    expect(() =>
      filterToSql(
        parseFilter('meta.created ge "0001-01-01T00:00:00Z" and meta.created le "9999-12-31T23:59:59Z"'),
        USER_FILTER_TARGET,
      ),
    ).not.toThrow();
  });
});
