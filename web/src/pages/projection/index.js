// The projection page, one chunk loaded when first shown (src/lazy.jsx): the saved Monte Carlo projection of the
// distribution plan, by region, with its TPS most at risk and the legs that make TPS late.
export { ProjectionPage } from './ProjectionPage.jsx';
