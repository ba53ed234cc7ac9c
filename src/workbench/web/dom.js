// @ts-check
// Building the page's elements: SVG and HTML nodes with their attributes, and the fixed elements by id.

const SVG = 'http://www.w3.org/2000/svg'

/** @typedef {Record<string, string | number | undefined | null>} Attributes */

/**
 * An SVG element, appended to `parent` when given. Attributes that are undefined or null are left out.
 * @param {string} tag
 * @param {Attributes} [attrs]
 * @param {Element} [parent]
 * @param {string} [text]
 * @returns {SVGElement}
 */
export function svg(tag, attrs, parent, text) {
  const node = /** @type {SVGElement} */ (document.createElementNS(SVG, tag))
  return fill(node, attrs, parent, text)
}

/**
 * An HTML element.
 * @param {string} tag
 * @param {Attributes} [attrs]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
export function html(tag, attrs, text) {
  return fill(document.createElement(tag), attrs, undefined, text)
}

/**
 * @template {Element} E
 * @param {E} node
 * @param {Attributes} [attrs]
 * @param {Element} [parent]
 * @param {string} [text]
 * @returns {E}
 */
function fill(node, attrs, parent, text) {
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) node.setAttribute(k, String(v))
  if (text !== undefined) node.textContent = text
  if (parent) parent.appendChild(node)
  return node
}

export function clear(/** @type {Element} */ node) {
  while (node.firstChild) node.removeChild(node.firstChild)
}

/**
 * One of the page's fixed elements (page.html), of the type expected.
 * @template {Element} E
 * @param {string} id
 * @param {new () => E} type
 * @returns {E}
 */
export function byId(id, type) {
  const node = document.getElementById(id)
  if (!(node instanceof type)) throw new Error(`page.html has no ${type.name} #${id}`)
  return node
}
