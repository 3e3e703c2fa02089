// Servers for bench/peers, started on loopback in a temporary directory and stopped afterwards:
// Redis (BullMQ, agenda's Redis backend) and PostgreSQL (agenda's PostgreSQL backend). A server
// that is not installed yields { missing: "<reason>" } so the suite prints a "not run" row.
// Also: CPU time of a process (all its threads) and of a process tree, read from /proc.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const TICK_MS =
  1000 /
  Number(safe(() => execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) ?? 100);

function safe(fn) {
  try {
    return fn();
  } catch {
    return null;
  }
}

/** Finds an executable on PATH (or at an absolute path); null when absent. */
export function which(name) {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** CPU ms (user + system, all threads) of one process; null once it has gone. */
export function cpuMs(pid) {
  const stat = safe(() => readFileSync(`/proc/${pid}/stat`, "utf8"));
  if (stat === null) return null;
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** The pids of a process and all its descendants. */
export function processTree(root) {
  const parent = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = safe(() => readFileSync(`/proc/${name}/stat`, "utf8"));
    if (stat === null) continue;
    parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++)
    for (const [pid, ppid] of parent) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/** CPU ms per pid of a process tree (a snapshot, to diff against a later one). */
export function treeCpu(root) {
  const snapshot = new Map();
  for (const pid of processTree(root)) {
    const ms = cpuMs(pid);
    if (ms !== null) snapshot.set(pid, ms);
  }
  return snapshot;
}

/** CPU ms spent between two snapshots (processes born in between count from zero). */
export function cpuBetween(before, after) {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** True once a Redis server answers PING on the port. */
function ping(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let reply = "";
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk;
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

/**
 * Starts redis-server on a free loopback port with no persistence (no RDB snapshots, no AOF).
 * @param {{ hz?: number }} [options] - hz: Redis's timer frequency (default 10; it also sets how
 *   soon a blocking command's timeout is noticed, 1000 / hz ms at worst)
 * @returns {Promise<{ url: string, port: number, pid: number, version: string, stop(): Promise<void> } | { missing: string }>}
 */
export async function startRedis({ hz } = {}) {
  const bin = which("redis-server");
  if (bin === null)
    return { missing: "redis-server is not installed (apt-get install -y redis-server)" };
  const version =
    safe(() => execFileSync(bin, ["--version"], { encoding: "utf8" }).match(/v=(\S+)/)?.[1]) ?? "?";
  const dir = mkdtempSync(join(tmpdir(), "asyncz-peers-redis-"));
  const port = await freePort();
  const proc = spawn(
    bin,
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--loglevel",
      "warning",
      ...(hz === undefined ? [] : ["--hz", String(hz)]),
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const exited = new Promise((resolve) => proc.on("exit", resolve));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (await ping(port)) break;
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      return { missing: `redis-server did not start (exit ${proc.exitCode})` };
    }
    await sleep(50);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: proc.pid,
    version,
    async stop() {
      proc.kill("SIGTERM");
      await Promise.race([exited, sleep(5000)]);
      if (proc.exitCode === null) proc.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts PostgreSQL (initdb + postgres, as the `postgres` OS user since it refuses to run as root)
 * with its default durability settings, trust authentication, on a free loopback port.
 * @returns {Promise<{ url: string, pid: number, version: string, stop(): Promise<void> } | { missing: string }>}
 */
export async function startPostgres() {
  const initdb = which("initdb");
  const pgCtl = which("pg_ctl");
  const postgres = which("postgres");
  if (initdb === null || pgCtl === null || postgres === null)
    return { missing: "PostgreSQL (initdb, pg_ctl, postgres) is not installed" };
  const asRoot = process.getuid?.() === 0;
  const user = asRoot
    ? safe(() => execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim())
    : null;
  if (asRoot && user === null)
    return { missing: "running as root and there is no `postgres` OS user" };
  const run = (bin, args) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", bin, ...args], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
        })
      : execFileSync(bin, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const version =
    safe(
      () =>
        execFileSync(postgres, ["--version"], { encoding: "utf8" }).match(
          /\) (\d+(?:\.\d+)*)/,
        )?.[1],
    ) ?? "?";
  const dir = mkdtempSync(join(tmpdir(), "asyncz-peers-pg-"));
  if (asRoot) {
    const uid = Number(user);
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  const port = await freePort();
  try {
    run(initdb, ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
    run(pgCtl, [
      "-D",
      data,
      "-l",
      join(dir, "log"),
      "-w",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
      "start",
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return {
      missing: `PostgreSQL did not start: ${
        String(error.stderr ?? error.message)
          .trim()
          .split("\n")[0]
      }`,
    };
  }
  const pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    pid,
    version,
    async stop() {
      safe(() => run(pgCtl, ["-D", data, "-m", "fast", "-w", "stop"]));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
