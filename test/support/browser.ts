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
