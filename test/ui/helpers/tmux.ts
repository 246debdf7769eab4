// A real terminal for UI tests: a private tmux server (its own socket, no config), one
// 80x24 window running a command, keys sent with send-keys and the screen read back with
// capture-pane. The runner of the tests needs no TTY; tmux provides one.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Teardown {
  teardown(fn: () => void | Promise<void>): void;
}

export const EXIT_MARK = '__kc_exit__';

/** Ink prints only a last frame when it believes it runs in CI (is-in-ci): not in our terminal. */
export function terminalEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = { ...env };
  delete clean.CI;
  delete clean.CONTINUOUS_INTEGRATION;
  delete clean.NO_COLOR;
  return { ...clean, LANG: 'C.UTF-8', TERM: 'xterm-256color' };
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

export class TmuxTerminal {
  private constructor(
    private readonly socket: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Starts `command` in an 80x24 window; the exit code is printed after it as `__kc_exit__ <code>`. */
  static start(t: Teardown, command: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; columns?: number; rows?: number }): TmuxTerminal {
    const dir = mkdtempSync(join(tmpdir(), 'kc-tmux-'));
    const terminal = new TmuxTerminal(join(dir, 'socket'), terminalEnv(options.env));
    const shell = `${command.map(quote).join(' ')}; echo "${EXIT_MARK} $?"; sleep 600`;
    terminal.tmux([
      'new-session',
      '-d',
      '-s',
      'kc',
      '-x',
      String(options.columns ?? 80),
      '-y',
      String(options.rows ?? 24),
      ...(options.cwd ? ['-c', options.cwd] : []),
      shell,
    ]);
    terminal.tmux(['set-option', '-g', 'escape-time', '0']);
    terminal.tmux(['set-option', '-g', 'history-limit', '5000']);
    t.teardown(() => {
      terminal.tmux(['kill-server'], true);
      rmSync(dir, { recursive: true, force: true });
    });
    return terminal;
  }

  private tmux(args: string[], mayFail = false): string {
    const result = spawnSync('tmux', ['-u', '-f', '/dev/null', '-S', this.socket, ...args], { env: this.env, encoding: 'utf8' });
    if (result.error && !mayFail)
      throw new Error(`cannot run tmux (${result.error.message}); the terminal UI test needs it: apt-get install tmux (.ci/run does)`);
    if (result.status !== 0 && !mayFail) throw new Error(`tmux ${args[0]} failed: ${result.stderr}`);
    return result.stdout;
  }

  /** Types `text` literally. */
  type(text: string): void {
    this.tmux(['send-keys', '-t', 'kc', '-l', '--', text]);
  }

  /** Presses named keys: Enter, Escape, BSpace, C-u, C-e, … */
  press(...keys: string[]): void {
    this.tmux(['send-keys', '-t', 'kc', ...keys]);
  }

  /**
   * Kills the command running in the window with `signal` (SIGKILL: a crash nothing can
   * catch), found as the child of the window's shell: only the process this terminal started.
   */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    const shell = this.tmux(['display-message', '-p', '-t', 'kc', '#{pane_pid}']).trim();
    const children = spawnSync('pgrep', ['-P', shell], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
    if (children.length !== 1) throw new Error(`expected one command under the shell ${shell}, found ${children.length}`);
    process.kill(children[0]!, signal);
  }

  /** Resizes the window, as a person dragging the terminal's corner would. */
  resize(columns: number, rows: number): void {
    this.tmux(['resize-window', '-t', 'kc', '-x', String(columns), '-y', String(rows)]);
  }

  /** Types `text`, then Enter. */
  enter(text = ''): void {
    if (text !== '') this.type(text);
    this.press('Enter');
  }

  /** The screen as text; with `history`, everything the terminal still keeps above it too. */
  screen(options: { history?: boolean } = {}): string {
    return this.tmux(['capture-pane', '-p', '-t', 'kc', ...(options.history ? ['-S', '-5000'] : [])]);
  }

  /**
   * Waits until the screen shows `pattern`. The default is long because it only costs time
   * when a test fails: on a loaded machine (the full suite on two cores) starting Node and
   * ink took over 15 s before the first screen was drawn.
   */
  async waitFor(pattern: RegExp | string, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; the screen shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
