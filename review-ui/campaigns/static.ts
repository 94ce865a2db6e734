import { hashedAsset } from '../static-files.js'

/** The inbox's keyboard script (the only script of the web app; everything works without it). */
export const REVIEW_SCRIPT = hashedAsset(new URL('./static/review.js', import.meta.url), 'review', 'js', 'text/javascript; charset=utf-8')
export const REVIEW_SCRIPT_PATH = REVIEW_SCRIPT.path
