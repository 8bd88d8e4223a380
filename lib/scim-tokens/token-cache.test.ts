import { describe, expect, it } from "vitest";
import { TokenCache } from "./token-cache";

describe("TokenCache", () => {
  it("caches nothing until its signal is live", async () => {
    const cache = new TokenCache<string>();
    let loads = 0;
    const load = () => Promise.resolve(`row${++loads}`);
    expect(await cache.lookup("h", load)).toBe("row1");
    expect(await cache.lookup("h", load)).toBe("row2");
    cache.setLive(true);
    expect(await cache.lookup("h", load)).toBe("row3");
    expect(await cache.lookup("h", load)).toBe("row3");
  });

  it("drops everything on a signal and when the signal is lost", async () => {
    const cache = new TokenCache<string>();
    cache.setLive(true);
    await cache.lookup("h", () => Promise.resolve("old"));
    cache.signal();
    expect(await cache.lookup("h", () => Promise.resolve("new"))).toBe("new");
    cache.setLive(false);
    expect(cache.size).toBe(0);
    expect(await cache.lookup("h", () => Promise.resolve("uncached"))).toBe("uncached");
    expect(cache.size).toBe(0);
  });

  it("does not cache a lookup that was in flight when a signal arrived", async () => {
    const cache = new TokenCache<string>();
    cache.setLive(true);
    let finish: (row: string) => void = () => {};
    const pending = cache.lookup("h", () => new Promise<string>((resolve) => (finish = resolve)));
    cache.signal();
    finish("read before the change");
    expect(await pending).toBe("read before the change");
    expect(await cache.lookup("h", () => Promise.resolve("read after"))).toBe("read after");
  });

  it("never caches unknown tokens and expires entries after five minutes", async () => {
    const cache = new TokenCache<string>();
    cache.setLive(true);
    await cache.lookup("unknown", () => Promise.resolve(undefined));
    expect(cache.size).toBe(0);
    await cache.lookup("h", () => Promise.resolve("row"), 0);
    expect(cache.get("h", 5 * 60_000)).toBe("row");
    expect(cache.get("h", 5 * 60_000 + 1)).toBeUndefined();
  });
});
