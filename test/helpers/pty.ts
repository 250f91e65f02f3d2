// Runs a real command in a pseudo terminal through util-linux `script`, so tests see what a user's terminal
// would receive: the command's stdout and stderr are a TTY of the given size, and keys can be typed into it.

import {spawn} from 'node:child_process'

export interface PtyKey {
  /** wait until the output so far contains this (escape sequences removed before matching) */
  waitFor: string | RegExp
  /** then type this, e.g. 'q' or '\u0003' (Ctrl-C); a function is called at that moment (to start other work) and types what it returns */
  send: string | (() => string)
}

export interface PtyOptions {
  cols?: number
  rows?: number
  /** added to the environment; CI variables are removed unless given here (they turn live views off) */
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** keys to type, in order, each once its `waitFor` has appeared */
  input?: PtyKey[]
  /** the command is killed after this long and the promise rejects with the output so far (default 30 s) */
  timeoutMs?: number
}

export interface PtyResult {
  /** every byte the terminal received, as UTF-8 (line ends are `\r\n`, as a terminal gets them) */
  output: string
  /** the output without escape sequences and carriage returns */
  text: string
  exitCode: number | null
  signal: NodeJS.Signals | null
}

// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g

export function stripTerminal(output: string): string {
  return output.replace(ESCAPES, '').replaceAll('\r', '')
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`
}

function ptyEnv(extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env, TERM: 'xterm-256color'}
  for (const key of Object.keys(env)) {
    if (key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) delete env[key]
  }
  return {...env, ...extra}
}

export function runInPty(cmd: string, args: string[] = [], opts: PtyOptions = {}): Promise<PtyResult> {
  const cols = opts.cols ?? 80
  const rows = opts.rows ?? 24
  // `script` gives the command a new pty of size 0x0; stty sets the size before the command starts
  const command = `stty cols ${cols} rows ${rows} 2>/dev/null; exec ${[cmd, ...args].map(shellQuote).join(' ')}`
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: opts.cwd,
    env: {...ptyEnv(opts.env), SHELL: '/bin/sh'},
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const chunks: Buffer[] = []
  const keys = [...(opts.input ?? [])]
  const output = () => Buffer.concat(chunks).toString('utf8')
  const typeReadyKeys = () => {
    while (keys.length > 0) {
      const key = keys[0]!
      const text = stripTerminal(output())
      const ready = typeof key.waitFor === 'string' ? text.includes(key.waitFor) : key.waitFor.test(text)
      if (!ready) return
      keys.shift()
      child.stdin.write(typeof key.send === 'function' ? key.send() : key.send)
    }
  }
  child.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk)
    typeReadyKeys()
  })
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${cmd} ${args.join(' ')} did not end within ${opts.timeoutMs ?? 30_000} ms in the pty; output so far:\n${output()}`))
    }, opts.timeoutMs ?? 30_000)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer)
      const raw = output()
      resolve({output: raw, text: stripTerminal(raw), exitCode, signal})
    })
  })
}
