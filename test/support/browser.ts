import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { commandPeer } from './peers.ts'

/** Debian's Chromium (apt-get install chromium): the browser of the web tests. */
export const CHROMIUM = '/usr/bin/chromium'

/** True when Chromium is there; false (skip, with a warning) on a developer machine; throws under CI. */
export const HAS_CHROMIUM = commandPeer(CHROMIUM, 'chromium')

/** The launch arguments DEPENDENCIES.md found to work with Debian's chromium (no --user-data-dir). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] })
}

/** Kept with the test output (gitignored). */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'screenshots')

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const path = join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

export const DESK_VIEWPORT = { width: 1280, height: 800 } as const
export const TABLET_VIEWPORT = { width: 820, height: 1180 } as const

/** A browser context signed in through the sign-in form, as a person would. */
export async function signedInContext(browser: Browser, baseURL: string, token: string, viewport: { width: number; height: number } = DESK_VIEWPORT): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport })
  const page = await context.newPage()
  await page.goto('/login')
  await page.getByLabel('API token').fill(token)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
  await page.close()
  return context
}

/**
 * A keyboard-wedge scanner typing `text` and Enter: real key events through Chromium's input
 * pipeline (CDP Input.dispatchKeyEvent), each stamped with the time a scanner would have sent it
 * (`gapMs` apart), as the operating system stamps a real scanner's keys. The page reads those
 * stamps (KeyboardEvent.timeStamp), so how fast this process can inject keys on a loaded machine
 * does not change what the page sees — a stalled page or a slow harness delays the events, never
 * their timing.
 */
export async function scannerTypes(page: Page, text: string, gapMs = 4): Promise<void> {
  const cdp = await page.context().newCDPSession(page)
  try {
    const t0 = Date.now() / 1000
    const keys = [...text, 'Enter']
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]
      const at = t0 + (i * gapMs) / 1000
      const enter = key === 'Enter'
      const common = { key, code: enter ? 'Enter' : undefined, windowsVirtualKeyCode: enter ? 13 : key.toUpperCase().charCodeAt(0) }
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...common, text: enter ? '\r' : key, unmodifiedText: enter ? '\r' : key, timestamp: at })
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...common, timestamp: at + 0.001 })
    }
  } finally {
    await cdp.detach()
  }
}
