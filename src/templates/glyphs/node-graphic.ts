import type { ImageNode, Layout, TextNode } from '../layout.ts'
import { imageBitmap } from '../images/logo-bitmap.ts'
import { fontChain } from './font-chain.ts'
import { clipToLabel } from './pack-bitmap.ts'
import { textBitmap, type TextBitmap } from './rasterize-text.ts'

/**
 * A text or image node drawn as the preview draws it, clipped to the label and written with the
 * printer's graphic command (`encode`: ZPL `^GF`, EPL `GW`); '' when nothing of it is on the
 * label. null for text when there is no Unicode font: the caller prints it its own way.
 */
export function nodeGraphic(node: TextNode | ImageNode, layout: Layout, encode: (bitmap: TextBitmap) => string): string | null {
  let bitmap: TextBitmap | null
  if (node.type === 'image') bitmap = imageBitmap(node)
  else {
    const chain = fontChain()
    if (!chain) return null
    bitmap = textBitmap(chain, node)
  }
  const clipped = bitmap && clipToLabel(bitmap, layout.width, layout.height)
  return clipped ? encode(clipped) : ''
}
