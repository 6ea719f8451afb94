#!/usr/bin/env node
// `npx studio-print …`: the admin command. TypeScript runs through tsx, as under `npm start`.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/main.ts')
