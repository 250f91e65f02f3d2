// Fixture hub functions written into temp folders.
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {makeWritable} from '../../../src/lib/hub/extract.ts'

export interface FixtureFunction {
  name: string
  version: string
  description?: string
  body?: string
}

/** A function folder `<parent>/<folder ?? name>` with function.yaml, greet.ts and README.md. */
export function writeFunction(parent: string, fn: FixtureFunction, folder = fn.name): string {
  const dir = join(parent, folder)
  mkdirSync(dir, {recursive: true})
  writeFileSync(
    join(dir, 'function.yaml'),
    `# fixture
name: ${fn.name}
version: ${fn.version}
kind: node
description: ${fn.description ?? `Greets people (${fn.version})`}
categories: [examples]
source: greet.ts
default_handler: greet
handlers:
  - name: greet
    doc: Say hello.
    parameters:
      - {name: who, type: str, doc: "whom to greet"}
      - {name: times, type: int, default: 1, doc: "how often"}
    inputs:
      - {name: names, doc: "a csv of names"}
    outputs: [greeting]
  - name: shout
    parameters: []
requirements: []
license: Apache-2.0
`,
  )
  writeFileSync(join(dir, 'greet.ts'), fn.body ?? `export async function greet() { return {greeting: 'hello ${fn.version}'} }\nexport async function shout() {}\n`)
  writeFileSync(join(dir, 'README.md'), `# ${fn.name}\n\nGreets people.\n`)
  mkdirSync(join(dir, 'bin'), {recursive: true})
  writeFileSync(join(dir, 'bin', 'run.sh'), '#!/bin/sh\necho hi\n')
  chmodSync(join(dir, 'bin', 'run.sh'), 0o755)
  return dir
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `lode-${prefix}-`))
}

/** Remove a temp folder that holds read-only cache copies. */
export function removeDir(dir: string): void {
  makeWritable(dir)
  rmSync(dir, {recursive: true, force: true})
}
