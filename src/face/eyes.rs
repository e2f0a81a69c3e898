//! Eye-centre localisation inside a face box.
//!
//! Three steps:
//!
//! 1. **A learned landmark regressor.** MTCNN's output network (ONet, see
//!    [`super::onet`]) reads a 48x48 crop of the face and returns five
//!    landmarks, both eye centres among them. The crop is the detector's
//!    box made a little larger and higher (SeetaFace boxes run from the
//!    brows to the chin; ONet was trained on MTCNN's boxes, which reach
//!    higher and wider), as ONet's own box regression asks for on the
//!    astronaut portrait. The eyes come from the crop and from its mirror
//!    image, the two estimates averaged (the network's left-right biases
//!    cancel), and the same again from a second, tighter crop (1.06 box
//!    sides, halfway between the detector's box and the first crop), the
//!    two crops' pairs averaged: four forward passes in all. ONet finds the eye region reliably, on turned and side-lit
//!    heads too, but its points sit about 0.03 IED below the pupils, so
//!    they are lifted by that much.
//! 2. **Gradient refinement.** Around each of ONet's points, the point that
//!    most of the strong image gradients point away from (the iris is a
//!    dark disc on a brighter eye white and skin: Timm & Barth, "Accurate
//!    eye centre localisation by means of gradients", VISAPP 2011),
//!    weighted by how dark it is and by a Gaussian around ONet's point.
//!    Only points within a tenth of the IED of ONet's point compete (about
//!    three times its typical error), but gradients are taken from 2.5
//!    times that, enough to hold the iris rim (an iris radius is about
//!    0.09 IED) and some of the lids and corners around it.
//!    The refinement over-moves, so only 0.85 of its vertical move is
//!    kept (its sideways move whole; see `REFINE_KEEP_Y`).
//! 3. **A second opinion from the eye corners.** dlib's 5-point landmark
//!    model ([`super::sp5`], regression trees: a different method trained
//!    on different faces) places both corners of each eye from a box put
//!    on the refined eyes where dlib's own detector would put it. Each
//!    eye's corner midpoint, from the image and from its mirror image
//!    averaged, is lifted by 0.055 IED (the lids' opening sits below the
//!    iris centre) and counts 0.4 in the final point (`CORNER_WEIGHT`).
//!    The two methods' errors correlate only 0.6 to 0.8 per axis, so the
//!    average is better than either.
//!
//! Measured on the 173 hand-marked CSU frontal faces (`examples/eval_eyes.rs`;
//! worse eye's error over the IED, a missed face counting as a failure):
//!
//! | method | <= 0.05 IED | <= 0.10 IED | astronaut mean / max |
//! |---|---|---|---|
//! | symmetry axis + gradients (replaced) | 52.0 % | 83.8 % | |
//! | ONet alone (crop and mirror) | 18.5 % | 89.0 % | 0.041 / 0.049 |
//! | ONet, lifted 0.03 IED | 50.9 % | 92.5 % | 0.021 / 0.038 |
//! | ONet + refinement, not lifted | 59.5 % | 93.1 % | 0.029 / 0.049 |
//! | ONet, lifted, + refinement (one crop) | 64.2 % | 94.8 % | 0.017 / 0.041 |
//! | the same, ONet on two crops | 68.2 % | 95.4 % | 0.015 / 0.039 |
//! | the same, 0.85 of the vertical move kept | 70.5 % | 95.4 % | 0.015 / 0.038 |
//! | the same, gradients from 0.25 IED around, not 0.2 | 72.3 % | 94.8 % | 0.016 / 0.038 |
//! | dlib's eye corners alone (mirror averaged, lifted), box from this module's eyes | 60.1 % | 96.0 % | |
//! | the refined eyes with the corners' eyes at weight 0.4 (this) | 76.3 % | 96.0 % | 0.017 / 0.034 |
//!
//! (Odd/even subject halves: one crop 61.6 / 66.7 % and 94.2 / 95.4 %;
//! two crops 66.3 / 70.1 % and 95.3 / 95.4 %; 0.85 of the vertical
//! move 69.8 / 71.3 % and 95.3 / 95.4 %, median 0.040, p95 0.092; the
//! 0.25 IED window 72.1 / 72.4 % and 94.2 / 95.4 %, median 0.040, p90
//! 0.073, p95 0.092; with the corners 75.6 / 77.0 % and 95.3 / 96.6 %,
//! median 0.039, p90 0.066, p95 0.086, max 0.174. The
//! last column is the worse eye's error on the committed astronaut
//! portrait's twelve variations, in IED.) Without the mirror image: 63.0 % and 89.6 %.
//!
//! **Judged on more than the one set.** `eval_eyes --perturb` runs the
//! same faces again under eleven changes (resized 0.7 to 3 times, set in
//! a larger canvas, gamma, noise, JPEG, blur) that add nothing a tuned
//! constant could use but move the detector's box and the pixels a
//! little. The share within 0.05 IED then swings by up to 7 points
//! between versions (63.0 to 70.5 % with the 0.2 IED window): a
//! difference of a few faces on the set as labelled is noise, and several
//! of the constants below were first chosen on it. Mean of the twelve
//! versions (as labelled and the eleven changed), within 0.05 / 0.10 IED:
//!
//! | gradient window | share of the move kept, sideways / vertical | mean of twelve | as labelled |
//! |---|---|---|---|
//! | 0.2 IED (before) | 1 / 0.85 | 66.47 / 94.08 % | 70.5 / 95.4 % |
//! | **0.25 IED (this)** | **1 / 0.85** | **68.40 / 94.12 %** | **72.3 / 94.8 %** |
//! | 0.25 IED | 1 / 0.9 | 68.64 / 94.12 % | 72.3 / 94.8 % |
//! | 0.25 IED | 0.9 / 0.9 | 69.03 / 94.12 % | 73.4 / 94.8 % |
//! | 0.25 IED | 0.85 / 0.85, 0.95 / 0.95 | 68.64 / 94.27 %, 68.69 / 94.08 % | 71.7 / 94.8 %, 72.8 / 94.8 % |
//! | 0.25 IED | 0.9 / 0.8, 0.9 / 1 | 68.45 / 94.17 %, 68.35 / 94.12 % | 71.7 / 94.8 %, 70.5 / 94.8 % |
//! | 0.23 IED, 0.27 IED | 0.9 / 0.9 | 68.26 / 94.03 %, 67.92 / 94.12 % | 70.5 / 94.2 %, 73.4 / 94.8 % |
//! | 0.25 IED, 70 or 80 working pixels per IED | 1 / 0.85 | 68.40 / 94.03 %, 68.06 / 94.32 % | 69.4 / 93.6 %, 69.9 / 94.2 % |
//! | 0.25 IED, gradient threshold mean + 1.2 sd | 1 / 0.85 | 68.11 / 94.12 % | 71.7 / 94.8 % |
//! | 0.2, 0.25 and 0.3 IED, the three points averaged | 1 / 0.85 | 68.69 / 94.12 % | 71.7 / 94.8 % |
//!
//! The 0.25 IED window beats 0.2 on nine of the twelve versions, ties on
//! two and loses on one (resized by 0.7, an IED of 35 pixels: 70.5 to
//! 65.9 %). Within 0.10 IED it is even on the mean, but on the set as
//! labelled it loses one face (00025ac, where ONet's IED is far too
//! large: 0.099 to 0.109 IED), so that bar, 95 %, is now missed by one
//! face; the means say neither window holds it (94.1 %). Keeping 0.9
//! rather than all of the sideways move gains a little more on the mean,
//! but that is within what the changed versions' noise moves, so the
//! sideways move stays whole. The window's cost: about 1.5 times the
//! refinement's gradient votes.
//!
//! The eye corners (step 3), on the same twelve versions (mean within
//! 0.05 / 0.10 IED; as labelled in brackets): without them 68.40 / 94.12 %
//! (72.3 / 94.8 %); with them at weight 0.3, 0.4 and 0.5, without the
//! mirror pass, 73.89 / 94.70 % (76.3 / 95.4 %), 73.99 / 94.85 % (75.1 /
//! 95.4 %) and 73.36 / 95.13 % (74.0 / 95.4 %); at 0.4 with the mirror
//! pass (this), 74.13 / 94.99 % (76.3 / 96.0 %), better than without it
//! on seven of the twelve. The weight is the one constant of this step
//! that CSU chose, and only within the range that inverse-variance
//! weighting of the two methods' per-eye errors gives (0.29 to 0.37
//! sideways, 0.54 to 0.64 vertically). The box (centre 0.664 IED below
//! the eyes' midpoint, side 2.207 IED) is where dlib's HOG face detector
//! puts its box on the astronaut variations; on CSU its boxes sit higher
//! and larger (0.516, 2.36), which scores about the same (73.36 / 94.61 %
//! at weight 0.3 in a numpy model of this step). The lift is the
//! astronaut's too (0.055 IED; CSU's would be 0.043). Costs: both passes
//! together 2.8 million instructions a face (callgrind), 0.8 to 1.3 ms on
//! the face bench's frames (its 5.7 MB of trees do not stay in the
//! caches), and about 5 ms once per process to parse the model.
//!
//! The second crop costs two more ONet passes: +27 million instructions
//! per assessment (callgrind; +41 % on the framed 640x480 bench frame,
//! +23 % on the small-face one), about +1.5 to 1.8 ms then; with ONet's
//! Winograd convolutions since (a pass about 0.54 ms), about +1.1 ms. Its scale was
//! chosen on CSU among a few: a second crop of 1.0 sides (the detector's
//! box itself) gave 67.6 % / 94.8 % (halves 62.8 / 72.4 % and 94.2 /
//! 95.4 %), 1.06 the numbers above, while larger second crops did not help
//! (1.18: 64.7 / 94.2 %; 1.24: 64.2 / 93.1 %; 1.35: 56.6 / 89.0 %), nor a
//! second 1.12 crop shifted by half a network pixel (65.3 / 94.8 %), nor
//! the 1.06 crop's direct pass alone (3 passes: 67.1 / 93.6 %), nor
//! pairing the 1.12 crop's direct pass with the 1.0 crop's mirror pass
//! (2 passes: 69.4 / 94.2 %, odd half 93.0 % within 0.10). A single crop
//! of 1.06 (two passes) gave 67.6 / 94.8 %, but that would be the crop
//! fitted to CSU rather than to ONet's own box regression.
//!
//! Tried on CSU and dropped (odd/even halves in brackets, within 0.05 /
//! 0.10 IED; one crop unless said):
//!
//! - Joint refinement: the pair of local maxima of the two eyes'
//!   objectives maximising both objectives times a Gaussian on the change
//!   of the eye-to-eye vector from ONet's (sd 0.025 / 0.05 / 0.1 IED):
//!   63.0 / 94.2 % (60.5 / 65.5 %, 94.2 / 94.3 %) at 0.025, identical to
//!   independent refinement at 0.05 and 0.1: the prior-weighted objective
//!   has almost always one local maximum in reach.
//! - Reach tied to ONet's uncertainty (reach = k x the direct-vs-mirror
//!   disagreement, clamped to 0.1..0.15 or 0.1..0.2 IED, prior sd = reach;
//!   the disagreement flags ONet's large errors only in its top quartile):
//!   k = 1.5: 64.7 / 94.8 % (64.0 / 65.5 %, 94.2 / 95.4 %) and 64.2 / 94.2 %;
//!   k = 2: 66.5 / 94.2 % (67.4 / 65.5 %, 94.2 / 94.3 %) and 65.3 / 93.1 %;
//!   k = 3: 61.8 / 92.5 % and 63.0 / 92.5 %. None helps both halves.
//! - A tighter prior than the reach (sd 0.05 / 0.07 IED): 64.2 / 94.2 %
//!   (64.0 / 64.4 %) and 66.5 / 94.2 % (67.4 / 65.5 %); the even half
//!   loses. A wider one (0.15): 54.3 / 91.9 %.
//! - Darkness from an iris-sized box mean (2r+1 working pixels, r = 1..4)
//!   instead of the pixel: 63.6, 64.2, 65.3, 61.8 % within 0.05, 94.2 %
//!   within 0.10 for all (odd half 93.0 %).
//! - Mirror matching for the common sideways shift (the component with
//!   the largest plain sd): both eyes moved by the one shift that best matches the
//!   image-left eye's surroundings to the mirror image of the other's
//!   (normalised cross-correlation, patches 0.12 to 0.25 IED either side,
//!   shifts up to 0.05 or 0.1 IED). Worse at every size: 28.3 to 56.1 %
//!   within 0.05 IED, the common shift's sd up from 0.047 to 0.053-0.091:
//!   turned heads and sideways gaze make the two eyes' surroundings
//!   asymmetric, so the best match is not at the pupils.
//! - A pair-level check against the detector box: not built. The box's
//!   IED-to-side ratio is 0.390 on CSU but with sd 0.033 (8.5 %), wider
//!   than ONet's own IED error (sd 5 %), and 0.39 to 0.47 (mean 0.43) on
//!   the astronaut variations, so the box cannot tell ONet's IED wrong;
//!   the faces where ONet's IED is 18 to 24 % too large (00015ac, 00005ag,
//!   00025ac) have ordinary ONet IED-to-box ratios (0.40 to 0.41). Nor can
//!   a mirror axis: ONet's eye midpoint follows the labelled one (r 0.96
//!   against the box centre) better than its nose (r 0.87) or mouth
//!   (0.77) does. The worst face (00005ad, 0.7 IED) is a detector box on
//!   the lit half of a half-shadowed face; ONet's direct and mirror
//!   passes disagree there by 0.34 IED (typically 0.06), but a
//!   re-crop around ONet's points would sit on the same wrong half.
//!   (All of this with the detector's second pass stepping 6 px; since
//!   it steps 5 px, the detector's box for 00005ad takes in the whole
//!   face and the error there is 0.108 IED. Nothing else in the table
//!   above moved: 70.5 / 95.4 %.)
//! - A second crop placed on ONet's own first eye pair instead of the
//!   detector's box (centred on the eye midpoint, scaled so the IED sits
//!   where the box's average puts it, 1.06 to 1.2 of that box across),
//!   replacing the 1.06 crop or averaged with the first: 59.0 to 66.5 %
//!   within 0.05 and 92.5 to 94.2 % within 0.10. It does bring the worst
//!   face (00005ad) from 0.70 to 0.17 IED, and one or two more rounds of
//!   it do not help either (3 passes more: 65.3 / 91.9 %).
//! - Skipping the second crop where the first crop's direct and mirror
//!   passes agree (within 0.045, 0.059 or 0.074 IED: a quarter, half or
//!   three quarters of the faces), to save its two passes: 67.6, 65.9
//!   and 64.7 % within 0.05 (95.4 % within 0.10 for all). The second
//!   crop helps the faces ONet is sure of as well.
//! - More crops averaged in (six or eight passes): a third crop of 1.0
//!   sides 69.9 / 94.8 % (the 0.10 bar lost), 1.18 63.6 / 95.4 %, both
//!   65.3 / 94.8 %, two more at 1.03 and 1.09 68.2 / 94.8 %.
//! - An iris-ring term in the refinement: the contrast between points at
//!   0.6 and 1.3 iris radii (radius a fixed 0.06 to 0.11 IED) on the
//!   iris's left and right arcs (the lids cover the top and bottom), as
//!   the objective's darkness or as a further factor (Daugman's
//!   integro-differential idea at one radius): 57.8 to 67.1 % within
//!   0.05, never above the plain objective. CSU's irises are about 4 px
//!   in radius, too few pixels for a ring to beat the gradient vote.
//! - Keeping a share alpha of both refinement moves (two crops): 0.5
//!   69.4 / 94.2 %, 0.7 71.7 / 94.2 % (72.1 / 71.3 %), 0.8 71.1 / 94.8 %,
//!   0.85 72.3 / 94.8 % (72.1 / 72.4 %, 94.2 / 95.4 %), 0.9 70.5 / 94.8 %,
//!   1.15 60.1 / 93.6 %: any sideways shrink puts 00025ac (ONet's IED
//!   far too large) past 0.10 IED, so the 0.10 bar is lost. Sideways 0.85
//!   and vertical 1.0: 69.4 / 94.8 % (66.3 / 72.4 %); vertical 0.7, 0.8,
//!   0.9 with the sideways move whole: 69.4, 69.9, 70.5 % (all 95.4 %;
//!   0.9 is 67.4 / 73.6 %). Separate shares for the pair's common and
//!   differential moves (0.5 to 1.0 each): 67.1 to 72.3 %, never above
//!   the uniform 0.85, and 94.2 to 95.4 % within 0.10.
//! - Refinement changes, each within 0.05 IED with all of both moves
//!   kept, then with 0.85 of both (within 0.10: 93.1 to 95.4 % unless
//!   said): a gradient threshold of mean + 0.3, 0.6 or 1.3 sd (63.0,
//!   63.6, 68.2 %; 67.6, 68.2, 71.7 %); no blur or two binomial passes
//!   (67.6 and 65.3 %; 72.3 and 69.4 %, the halves trading places);
//!   Timm & Barth's weight, 255 minus the grey blurred twice more (68.2
//!   %; 71.7 %), or the linear darkness of that blurred grey (66.5 %;
//!   70.5 %); WORK_PER_IED 40 or 80 (59.0 and 68.8 %; 65.3 and 69.9 %);
//!   a gradient window of 0.15, 0.25 or 0.3 IED (67.1, 69.9, 67.6 %;
//!   68.8, 71.7, 70.5 %); votes weighted by the gradient magnitude
//!   (67.1 %; 71.1 %), or by the cosine to the power 1 or 4 instead of 2
//!   (67.6, 65.3 %; 70.5, 70.5 %); votes only from gradients within 0.15
//!   to 0.25 IED of the candidate (54.3 to 65.3 %, and 23.7 to 57.2 %
//!   with the window widened to match, within 0.10 down to 80 %: the far
//!   gradients of the lids and corners carry much of the vote); a soft
//!   argmax (the centroid of the objective above 0.3 to 0.85 of its peak,
//!   all of it or within 0.05 IED of the peak: 61.3 to 67.6 %; 67.1 to
//!   70.5 %); a dark-blob factor (box mean at 2r minus box mean at r,
//!   r = 0.04 to 0.09 IED, to the power 0.5 or 1: 50.3 to 65.9 %; 60.1 to
//!   72.8 %, within 0.10 90.2 to 94.8 %; the best, r = 0.06, has 69.8 %
//!   on the odd half). Averaging two of these refinements (any pair of
//!   the variants above) stays within 64 to 72 %: their errors are
//!   strongly correlated.
//! - Nonlinear shrinks of each eye's move m (soft threshold by 0.005 to
//!   0.02 IED; m scaled by m / (m + c) or c / (m + c), c = 0.02 to 0.2):
//!   64.2 to 72.3 %, within 0.10 94.2 or 94.8 %.
//! - A second estimator averaged in: the darkness-weighted centroid of
//!   the pixels darker than the 15th or 30th percentile of a disc of
//!   0.06 or 0.1 IED around the refined point (weight 0.3 or 0.5): 52.6
//!   to 66.5 % within 0.05 (from 70.5 %); lid shadows and lashes pull it
//!   off the pupil.
//!
//! - ONet on rotated crops (bilinear, 3x3 samples per network pixel):
//!   that sampler alone, unrotated, gave 67.6 / 94.8 % (two crops), three
//!   points under the area-averaging sampler, so a change of resampling
//!   alone moves the rate by that much (0.05 IED is about 2.5 px on CSU).
//!   The 1.12 crop at -6 and +6 degrees plus the 1.06 crop: 67.1 / 94.8 %
//!   (70.1 / 64.0 %); with the unrotated 1.12 crop as well: 65.3 / 94.8 %.
//! - Refining each crop's pair on its own and averaging the refined
//!   points: 69.9 / 94.8 % (71.3 / 68.6 %).
//! - MediaPipe's iris landmark network (Apache-2.0; a 64x64 eye crop,
//!   flipped for the subject's left eye) run with TensorFlow Lite in a
//!   throwaway script, on crops 1.1 IED across, centred on this module's
//!   points and turned to their eye line: 61.3 / 93.1 % alone (crops of
//!   0.7 to 1.3 IED: 42.2 to 61.3 %), 74.0 / 95.4 % averaged half and
//!   half with this module's points; re-cropping on its own output made it
//!   worse (60.7, then 56.6 %). It costs 54 million multiply-adds per eye
//!   (4.6 ONet passes), about 5 ms a face here, which the 10 ms budget
//!   cannot hold. Its errors correlate with this module's (0.85 in x,
//!   0.80 in y), which suggests much of what is left lies in the labels'
//!   own placement: on CSU's soft, 50-pixel-IED eyes the marked centre
//!   is often a pixel or two off the dark iris.
//!
//! - MediaPipe's face-mesh landmarker (Apache-2.0, 35 million
//!   multiply-adds; a 192x192 crop 3.5 or 4.2 IED across, turned to this
//!   module's eye line): the mean of each eye's 16 contour points is
//!   22.5-25.4 % within 0.05 alone (it sits 0.03-0.04 IED below the
//!   labels), 61.8 % lifted by 0.03 IED; averaged half and half with this
//!   module's points, 68.2 % unlifted and 72.3 % lifted (96.0 % within
//!   0.10).
//! - dlib's 5-point shape predictor, first tried in Python with a box,
//!   lift and weight fitted on CSU (75.7 / 94.8 % at weight 0.3), now
//!   step 3 with those taken from elsewhere (see above). Alone, from
//!   dlib's own detector (148 of the 173 faces found): 60.7 %.
//! - A third ONet crop (1.12 sides, with its mirror) blurred (1-2-1 both
//!   ways) or sharpened (twice the crop less that blur), averaged in with
//!   a third of the weight: 68.2 / 94.2 % and 69.4 / 94.8 %.
//! - ONet on a contrast-stretched crop (the crop's 1st, 5th or 15th
//!   percentile to black and the matching upper one to white): 69.4, 68.8
//!   and 69.9 % within 0.05, 93.6 % within 0.10 for all three.
//!
//! - face-api.js's 68-point landmark networks (MIT weights, as the
//!   `@vladmandic/face-api` 1.7.15 npm package ships them; run in a
//!   throwaway numpy script), each eye the mean of its six contour
//!   points, from crops 1.0, 1.15 or 1.3 detector-box sides across,
//!   centred or 0.1 side lower. The full network alone: 32.9 to 38.2 %
//!   within 0.05 and 87.9 to 92.5 % within 0.10; the tiny one 20.8 to
//!   35.3 % and 75.1 to 87.9 %. Averaged in with weight 0.3 or 0.5,
//!   lifted 0.03 IED or not: at best 69.9 / 95.4 %, never above this
//!   module alone.
//! - Isophote centres (Valenti & Gevers, "Accurate eye center location
//!   and tracking using isophote curvature", CVPR 2008) in place of the
//!   gradient objective, votes weighted by curvedness, at a scale of 1 to
//!   3.5 working pixels (throwaway numpy, same window, reach and prior):
//!   at best 57.8 % alone (scale 1; 52.0 % at 1.5, worse above) and, half
//!   and half with the gradient objective's point, 70.5 %: no gain.
//! - Trusting the refinement more where it looks sure: its gain over
//!   ONet's point is not predicted by the objective's peak height, the
//!   peak's share of the objective, the second peak, the number of strong
//!   gradients, the window's contrast or the two crops' disagreement
//!   (Spearman correlations within +-0.17), so no weighting by them.
//! - Pulling the pair's sideways shift towards the detector box's centre
//!   line (its error correlates 0.33 with the pair's offset from that
//!   line): 68.8 % at a tenth of the way, 59.0 % at a fifth.
//!
//! Started at the labelled eyes instead of ONet's (an oracle test), the
//! refinement still ends a median 0.033 IED off on the worse eye
//! (82.7 % within 0.05): the objective's own peak wanders about 0.02 IED
//! per axis on CSU's 50-pixel IEDs, and from ONet's points the refined
//! error keeps much of ONet's (correlation 0.70 per axis).
//!
//! The refinement moves ONet's points the right way only loosely
//! (correlation 0.46 in x, 0.49 in y with the labelled correction). The
//! error left is spread about equally over the pair's sideways and
//! vertical shift and the eyes' spacing and height difference (robust sd
//! 0.023, 0.021, 0.016 and 0.014 IED on CSU; the plain sd of the sideways
//! shift, 0.047, is mostly the one face at 0.7 IED). A second ONet round on the square of ONet's own refined
//! box (MTCNN's box regression) gave 62.4 % and 93.6 % for a third
//! forward pass, so it is not done. The crop placement and the lift come
//! from ONet's own box regression and from the astronaut portrait, not
//! from CSU; the refinement's reach was compared on CSU (0.1 IED beat
//! 0.15, 0.2 and 0.3).

use crate::internal::resample::{resize_gray, ResizeScratch};

use super::onet::{self, OnetScratch};
use super::sp5;
use super::types::{EyePair, FaceBox, FaceLandmarks, Point};

/// Where SeetaFace frontal boxes put the eye centres, as fractions of the
/// box side: the eye line lies `EYE_LINE_Y` of the side below the box top,
/// and each eye `EYE_HALF_SPAN` of the side left or right of the face's
/// centre line. Means over the 171 CSU frontal faces the detector finds
/// (eye line 0.371, half IED 0.195 of the side, labelled eyes). Used to
/// place a box around eyes the caller supplies.
pub(crate) const EYE_LINE_Y: f32 = 0.371;
pub(crate) const EYE_HALF_SPAN: f32 = 0.195;

/// ONet's crop from a SeetaFace box: this many box sides across, centred
/// this far below the box centre (fractions of the side; negative is up).
/// On the astronaut portrait's eleven variations (all but `side_lit`, added
/// later), ONet's own refined box
/// (its box regression from a crop of the detector's box), made square,
/// was on average 1.12 sides across and 0.015 sides above the detector
/// box's centre (sideways offset 0.00): the crop ONet would choose.
const CROP_SCALE: f32 = 1.12;
const CROP_DY: f32 = -0.015;
/// A second crop, halfway between the detector's box (1.0) and ONet's
/// preferred crop, same centre: ONet's points from the two crops are
/// averaged (see the module docs).
const CROP_SCALE_TIGHT: f32 = 1.06;

/// ONet's eye points sit below the pupil centres: by 0.032 IED on average
/// over the astronaut portrait's variations (hand-placed eye centres),
/// the same on both eyes. They are lifted by this fraction of the IED
/// before the refinement, whose prior is centred on them. (On CSU, ONet's
/// points sit 0.04 IED low; that set was not used to set this.)
const ONET_LIFT: f32 = 0.03;

/// A plausible ONet eye pair's IED, as a share of the detector box side
/// (0.39 on average over the CSU faces; a turned head narrows it, a box
/// cut short by the frame widens it).
const MIN_IED: f32 = 0.2;
const MAX_IED: f32 = 0.8;

/// Refinement: candidates lie within this fraction of the IED of ONet's
/// point (square window) and are weighted by a Gaussian of this sd.
const REFINE_REACH: f32 = 0.1;
/// Gradients come from a window this many IEDs either side of ONet's
/// point: the candidates' reach plus an iris radius.
const REFINE_WINDOW: f32 = 0.25;
/// Share of the refinement's vertical move that is kept. The refinement
/// over-moves: the labelled correction regresses on its move with slope
/// about 0.65 in both axes on CSU, and keeping 0.85 of both moves wins
/// 4 points within 0.05 IED there. But the sideways move must stay whole: the
/// faces where ONet's IED is far too large need all of it to stay within
/// 0.10 IED. Fitted on CSU (one constant, the same for every face).
const REFINE_KEEP_Y: f32 = 0.85;
/// dlib's 5-point model's box, from the eye pair: its centre this many
/// IEDs along the eye line and down from the eyes' midpoint, its side this
/// many IEDs. Where dlib's own face detector puts its box on the astronaut
/// portrait's twelve variations (medians, relative to this module's eyes).
const CORNER_BOX: [f32; 3] = [0.011, 0.664, 2.207];
/// The corners' midpoint sits this far below the eye centre, in IEDs (the
/// lids' opening is lower than the iris): 0.055 on the astronaut
/// variations against their hand-placed eye centres (0.043 on CSU, not
/// used).
const CORNER_LIFT: f32 = 0.055;
/// The corners' eyes count this much in the final point. Inverse-variance
/// weighting of the two methods' per-eye errors on CSU and its changed
/// versions gives 0.29 to 0.37 sideways and 0.54 to 0.64 vertically (the
/// errors correlate 0.63 and 0.80); this is one weight in that range.
const CORNER_WEIGHT: f32 = 0.4;
/// A corner eye further than this (IEDs) from ours is not used.
const CORNER_REACH: f32 = 0.25;

/// Working resolution of the refinement, pixels per IED (an iris spans
/// about 11 px).
const WORK_PER_IED: f32 = 60.0;

/// Tracking: below this face probability (ONet's, mean of the crop and
/// its mirror image) the face is taken as lost where the previous frame
/// had it, and the detector looks again. MTCNN's own output-stage
/// threshold is 0.7; a tracked crop sits on the face, so a lower bar only
/// lets a face that is leaving be followed a frame longer.
const TRACK_MIN_FACE_PROB: f32 = 0.7;

/// What [`EyeLocator::track`] found.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tracked {
    /// The face box, SeetaFace-like (brows to chin), from ONet's box
    /// regression.
    pub(crate) face_box: FaceBox,
    /// The eye centres: ONet's, from the crop and its mirror image,
    /// lifted as in [`EyeLocator::locate`] but not refined.
    pub(crate) eyes: EyePair,
    /// ONet's face probability, mean of the two passes.
    pub(crate) face_prob: f32,
    /// ONet's five landmarks from the same two passes.
    pub(crate) landmarks: FaceLandmarks,
}

/// The eyes a SeetaFace box implies by the average face (the stand-in
/// when ONet cannot read the box).
pub(crate) fn eyes_from_box(face_box: &FaceBox) -> EyePair {
    let side = face_box.width.min(face_box.height);
    let c = face_box.center();
    let ey = face_box.y + EYE_LINE_Y * side;
    EyePair::from_points(
        Point::new(c.x - EYE_HALF_SPAN * side, ey),
        Point::new(c.x + EYE_HALF_SPAN * side, ey),
    )
}

/// A strong gradient: position and unit direction, in working pixels.
#[derive(Debug, Clone, Copy)]
struct Edge {
    x: f32,
    y: f32,
    gx: f32,
    gy: f32,
}

/// The refinement's working window is at most this many pixels a side.
const REFINE_MAX_SIDE: usize = 64;

/// Reusable buffers for eye localisation.
#[derive(Debug, Default)]
pub(crate) struct EyeLocator {
    crop: Vec<u8>,
    mirror: Vec<u8>,
    net: OnetScratch,
    raw: Vec<u8>,
    resize: ResizeScratch,
    grey: Vec<f32>,
    tmp: Vec<f32>,
    gx: Vec<f32>,
    gy: Vec<f32>,
    edges: Vec<Edge>,
    objective: Vec<f32>,
    /// ONet's face probability in the last [`EyeLocator::locate`]'s first
    /// crop (it and its mirror image averaged); NaN when it did not run.
    face_prob: f32,
    /// ONet's five landmarks in the last [`EyeLocator::locate`], both
    /// crops' averaged; `None` when ONet could not read the face (the
    /// box's average eyes stood in).
    landmarks: Option<FaceLandmarks>,
}

/// A square crop: centre and side, image pixels.
#[derive(Debug, Clone, Copy)]
struct Square {
    cx: f32,
    cy: f32,
    side: f32,
}

impl Square {
    /// The integer crop (left, top, side); `None` when it is degenerate or
    /// less than half of it lies inside the image.
    fn pixels(&self, width: usize, height: usize) -> Option<(isize, isize, usize)> {
        let Square { cx, cy, side } = *self;
        if !(cx.is_finite() && cy.is_finite() && side.is_finite() && side >= 4.0) {
            return None;
        }
        let s = side.round();
        let (x0, y0) = ((cx - 0.5 * s).round(), (cy - 0.5 * s).round());
        let inside = |a: f32, n: usize| (a + s).min(n as f32) - a.max(0.0);
        let (iw, ih) = (inside(x0, width), inside(y0, height));
        if iw <= 0.0 || ih <= 0.0 || iw * ih < 0.5 * s * s {
            return None;
        }
        Some((x0 as isize, y0 as isize, s as usize))
    }
}

impl EyeLocator {
    /// Locates both eye centres of the face in `face_box`, in the grey
    /// image `px` (`width` x `height`, contiguous rows). `None` when the
    /// box leaves too little of the face inside the image.
    pub(crate) fn locate(
        &mut self,
        px: &[u8],
        width: usize,
        height: usize,
        face_box: &FaceBox,
    ) -> Option<EyePair> {
        let side = face_box.width.min(face_box.height);
        if !(side.is_finite() && side >= 4.0) || px.len() < width * height {
            return None;
        }
        let net = onet::model()?;
        let c = face_box.center();
        let square = |scale: f32| Square {
            cx: c.x,
            cy: c.y + CROP_DY * side,
            side: scale * side,
        };
        self.face_prob = f32::NAN;
        self.landmarks = None;
        let first = self.onet_points(net, px, width, height, square(CROP_SCALE))?;
        let [mut a, mut b, mut nose, mut ma, mut mb] = first;
        let face_prob = self.face_prob;
        // A second, tighter crop: its points are averaged with the
        // first's (when it is usable; it is smaller, so it rarely is not).
        if let Some([a2, b2, nose2, ma2, mb2]) =
            self.onet_points(net, px, width, height, square(CROP_SCALE_TIGHT))
        {
            a = a.midpoint(a2);
            b = b.midpoint(b2);
            nose = nose.midpoint(nose2);
            ma = ma.midpoint(ma2);
            mb = mb.midpoint(mb2);
        }
        self.face_prob = face_prob;
        let mut ied = a.distance(b);
        if a.is_finite() && b.is_finite() && (MIN_IED..=MAX_IED).contains(&(ied / side)) {
            if nose.is_finite() && ma.is_finite() && mb.is_finite() {
                self.landmarks = Some(FaceLandmarks::from_onet(a, b, nose, ma, mb));
            }
            a.y -= ONET_LIFT * ied;
            b.y -= ONET_LIFT * ied;
        } else {
            // Not a face ONet can read (the detector's rare false box, a
            // drawing, noise): its points can coincide or fly apart. The
            // box's average eye places stand in, so the report still holds
            // a usable eye line (and the framing checks judge it).
            let ey = face_box.y + EYE_LINE_Y * side;
            a = Point::new(c.x - EYE_HALF_SPAN * side, ey);
            b = Point::new(c.x + EYE_HALF_SPAN * side, ey);
            ied = a.distance(b);
        }
        for p in [&mut a, &mut b] {
            if let Some(q) = self.refine(px, width, height, *p, ied) {
                // The full sideways move, but only part of the vertical
                // one (see `REFINE_KEEP_Y`).
                *p = Point::new(q.x, p.y + REFINE_KEEP_Y * (q.y - p.y));
            }
        }
        if let Some((ca, cb)) = self.corner_eyes(px, width, height, a, b) {
            let blend = |p: Point, q: Point| {
                Point::new(
                    p.x + CORNER_WEIGHT * (q.x - p.x),
                    p.y + CORNER_WEIGHT * (q.y - p.y),
                )
            };
            a = blend(a, ca);
            b = blend(b, cb);
        }
        Some(EyePair::from_points(a, b))
    }

    /// ONet's face probability (0..1) in the last
    /// [`locate`](Self::locate)'s first crop, it and its mirror image
    /// averaged: how much the located face looks like an upright face to
    /// the eye network. NaN when the network did not run.
    pub(crate) fn face_prob(&self) -> f32 {
        self.face_prob
    }

    /// ONet's five landmarks in the last [`locate`](Self::locate), its
    /// two crops and their mirror images averaged, as the network gives
    /// them (the eyes not lifted or refined); `None` when ONet could not
    /// read the face or a point is not finite.
    pub(crate) fn landmarks(&self) -> Option<FaceLandmarks> {
        self.landmarks
    }

    /// Follows a face from `face_box` (the previous frame's) with two ONet
    /// passes, the crop [`locate`](Self::locate) would take first and its
    /// mirror image: the face probability, the box regression (ONet's
    /// refined box, squared, turned back into a SeetaFace-like box by the
    /// same crop scale and offset, so a face that did not move keeps its
    /// box), and the eye landmarks, averaged over both passes and lifted.
    /// `None` when the crop lies mostly outside the image, the face
    /// probability is under [`TRACK_MIN_FACE_PROB`], or the eyes are not
    /// a plausible pair for the box: the face is lost.
    pub(crate) fn track(
        &mut self,
        px: &[u8],
        width: usize,
        height: usize,
        face_box: &FaceBox,
    ) -> Option<Tracked> {
        let side = face_box.width.min(face_box.height);
        if !(side.is_finite() && side >= 4.0) || px.len() < width * height {
            return None;
        }
        let net = onet::model()?;
        let c = face_box.center();
        let crop = Square {
            cx: c.x,
            cy: c.y + CROP_DY * side,
            side: CROP_SCALE * side,
        };
        let (x0, y0, s) = crop.pixels(width, height)?;
        sample(px, width, height, x0, y0, s, &mut self.crop);
        let out = net.run(&self.crop, &mut self.net)?;
        let n = onet::INPUT;
        self.mirror.clear();
        for row in self.crop.chunks_exact(n) {
            self.mirror.extend(row.iter().rev());
        }
        let m = net.run(&self.mirror, &mut self.net)?;
        let face_prob = 0.5 * (out.face + m.face);
        if face_prob.is_nan() || face_prob < TRACK_MIN_FACE_PROB {
            return None;
        }
        let [mut a, mut b, nose, ma, mb] = both_passes(&out, &m, x0, y0, s);
        let (x0, y0, sf) = (x0 as f32, y0 as f32, s as f32);
        // The box edges move by these fractions of the crop side (left,
        // top, right, bottom); the mirror pass's left edge is the right
        // edge here.
        let reg = [
            0.5 * (out.reg[0] - m.reg[2]),
            0.5 * (out.reg[1] + m.reg[1]),
            0.5 * (out.reg[2] - m.reg[0]),
            0.5 * (out.reg[3] + m.reg[3]),
        ];
        let (bx0, by0) = (x0 + reg[0] * sf, y0 + reg[1] * sf);
        let (bx1, by1) = (x0 + sf + reg[2] * sf, y0 + sf + reg[3] * sf);
        let onet_side = (bx1 - bx0).max(by1 - by0);
        let new_side = onet_side / CROP_SCALE;
        let (cx, cy) = (0.5 * (bx0 + bx1), 0.5 * (by0 + by1) - CROP_DY * new_side);
        let face_box = FaceBox {
            x: cx - 0.5 * new_side,
            y: cy - 0.5 * new_side,
            width: new_side,
            height: new_side,
        };
        let ied = a.distance(b);
        if !(a.is_finite()
            && b.is_finite()
            && face_box.is_valid()
            && (MIN_IED..=MAX_IED).contains(&(ied / new_side)))
        {
            return None;
        }
        let landmarks = FaceLandmarks::from_onet(a, b, nose, ma, mb);
        a.y -= ONET_LIFT * ied;
        b.y -= ONET_LIFT * ied;
        Some(Tracked {
            face_box,
            eyes: EyePair::from_points(a, b),
            face_prob,
            landmarks,
        })
    }

    /// The eye centres dlib's 5-point model gives, image-left first: each
    /// the midpoint of its two corners, lifted by `CORNER_LIFT`, from a box
    /// placed on the eyes `a` (image-left) and `b` as dlib's own face
    /// detector would put it. `None` when the model cannot run there or
    /// its eyes are not a plausible pair near `a` and `b`.
    fn corner_eyes(
        &mut self,
        px: &[u8],
        width: usize,
        height: usize,
        a: Point,
        b: Point,
    ) -> Option<(Point, Point)> {
        let ied = a.distance(b);
        if !(a.is_finite() && b.is_finite() && ied >= 4.0) {
            return None;
        }
        // The eye line's direction and the face's downward normal.
        let (ux, uy) = ((b.x - a.x) / ied, (b.y - a.y) / ied);
        let (nx, ny) = (-uy, ux);
        let m = a.midpoint(b);
        // The centre on a half pixel, so that the mirror pass below reads
        // whole pixels.
        let cx = (2.0 * (m.x + (CORNER_BOX[0] * ux + CORNER_BOX[1] * nx) * ied)).round() * 0.5;
        let cy = m.y + (CORNER_BOX[0] * uy + CORNER_BOX[1] * ny) * ied;
        let half = 0.5 * CORNER_BOX[2] * ied;
        let rect = [cx - half, cy - half, cx + half, cy + half];
        let model = sp5::model()?;
        // Image-left first, along our own eye line (robust to roll).
        let along = |p: Point| (p.x - m.x) * ux + (p.y - m.y) * uy;
        let ordered = |e1: Point, e2: Point| {
            if along(e1) < along(e2) {
                (e1, e2)
            } else {
                (e2, e1)
            }
        };
        // Each eye from the image and from its mirror image (mapped back),
        // averaged: the trees' left-right biases cancel, as ONet's do.
        let [direct, mirrored] = model.predict(px, width, height, rect, [false, true])?;
        let flip = |p: Point| Point::new(2.0 * cx - p.x, p.y);
        let (da, db) = ordered(direct[0].midpoint(direct[1]), direct[2].midpoint(direct[3]));
        let (ma, mb) = ordered(
            flip(mirrored[0].midpoint(mirrored[1])),
            flip(mirrored[2].midpoint(mirrored[3])),
        );
        let (mut ca, mut cb) = (da.midpoint(ma), db.midpoint(mb));
        let d = ca.distance(cb);
        // A pair that disagrees wildly with ours is the model lost (a
        // box on something else); it gets no say.
        if !(0.7 * ied..=1.4 * ied).contains(&d)
            || ca.distance(a) > CORNER_REACH * ied
            || cb.distance(b) > CORNER_REACH * ied
        {
            return None;
        }
        // Lift both along the model's own upward normal.
        let (lx, ly) = ((cb.y - ca.y) / d, -(cb.x - ca.x) / d);
        for p in [&mut ca, &mut cb] {
            p.x += CORNER_LIFT * d * lx;
            p.y += CORNER_LIFT * d * ly;
        }
        Some((ca, cb))
    }

    /// ONet's two eye centres, nose tip and two mouth corners (each pair
    /// image-left first) from the `crop` square and from its mirror image,
    /// averaged. `None` when the square is degenerate or mostly outside
    /// the image.
    fn onet_points(
        &mut self,
        net: &onet::Onet,
        px: &[u8],
        width: usize,
        height: usize,
        crop: Square,
    ) -> Option<[Point; 5]> {
        let (x0, y0, s) = crop.pixels(width, height)?;
        sample(px, width, height, x0, y0, s, &mut self.crop);
        let out = net.run(&self.crop, &mut self.net)?;
        // The crop's mirror image too; there the image-left eye is
        // landmark 1, and x runs the other way.
        let n = onet::INPUT;
        self.mirror.clear();
        for row in self.crop.chunks_exact(n) {
            self.mirror.extend(row.iter().rev());
        }
        let m = net.run(&self.mirror, &mut self.net)?;
        self.face_prob = 0.5 * (out.face + m.face);
        Some(both_passes(&out, &m, x0, y0, s))
    }

    /// Gives every buffer room for frames up to `width` pixels wide: the
    /// network's input crops and activations (one pass over a blank crop
    /// sizes those) and the refinement's windows. A session calls it on
    /// its first frame, so a face that appears later allocates nothing.
    pub(crate) fn reserve(&mut self, width: usize) {
        let n = onet::INPUT * onet::INPUT;
        for v in [&mut self.crop, &mut self.mirror] {
            v.reserve(n.saturating_sub(v.len()));
        }
        if let Some(net) = onet::model() {
            self.crop.clear();
            self.crop.resize(n, 0);
            // Only the buffers matter; the output of a blank crop does not.
            let _ = net.run(&self.crop, &mut self.net);
        }
        self.reserve_refine(width);
    }

    /// Gives the refinement's buffers room for the largest window and an
    /// image `width` pixels wide (allocates only when an earlier frame was
    /// smaller).
    fn reserve_refine(&mut self, width: usize) {
        const CELLS: usize = REFINE_MAX_SIDE * REFINE_MAX_SIDE;
        fn room<T>(v: &mut Vec<T>, n: usize) {
            v.reserve(n.saturating_sub(v.len()));
        }
        self.resize.reserve(width, REFINE_MAX_SIDE);
        room(&mut self.raw, CELLS);
        room(&mut self.grey, CELLS);
        room(&mut self.tmp, CELLS);
        room(&mut self.gx, CELLS);
        room(&mut self.gy, CELLS);
        room(&mut self.edges, CELLS);
        room(&mut self.objective, CELLS);
    }

    /// Refines an eye centre: the Timm & Barth gradient objective around
    /// `centre` (IED `ied`), as described in the module docs. `None` when
    /// the window holds no usable gradients or no dark candidate.
    fn refine(
        &mut self,
        px: &[u8],
        width: usize,
        height: usize,
        centre: Point,
        ied: f32,
    ) -> Option<Point> {
        let half = REFINE_WINDOW * ied;
        if !centre.is_finite() {
            return None;
        }
        // Integer crop, clipped to the image.
        let x0 = (centre.x - half).floor().max(0.0) as usize;
        let y0 = (centre.y - half).floor().max(0.0) as usize;
        let x1 = ((centre.x + half).ceil().max(0.0) as usize).min(width);
        let y1 = ((centre.y + half).ceil().max(0.0) as usize).min(height);
        if x1 < x0 + 3 || y1 < y0 + 3 {
            return None;
        }
        let (cw, ch) = (x1 - x0, y1 - y0);
        let scale = WORK_PER_IED / ied;
        let ww = ((cw as f32 * scale).round() as usize).clamp(8, REFINE_MAX_SIDE);
        let wh = ((ch as f32 * scale).round() as usize).clamp(8, REFINE_MAX_SIDE);
        // The crop's size follows the face from frame to frame: room for
        // the largest one this image allows, once, keeps a preview loop
        // from allocating when the face comes closer.
        self.reserve_refine(width);
        let (sx, sy) = (cw as f32 / ww as f32, ch as f32 / wh as f32);
        resize_gray(
            &px[y0 * width + x0..],
            cw,
            ch,
            width,
            ww,
            wh,
            &mut self.raw,
            &mut self.resize,
        );
        self.grey.clear();
        self.grey.extend(self.raw.iter().map(|&v| v as f32));
        // One binomial pass: gradients from eyelashes, halftone dots and
        // skin pores are noise at this scale.
        blur121(&mut self.grey, ww, wh, &mut self.tmp);
        let g = &self.grey;

        // Sobel gradients of the interior, and their magnitude statistics.
        self.gx.clear();
        self.gx.resize(ww * wh, 0.0);
        self.gy.clear();
        self.gy.resize(ww * wh, 0.0);
        let (mut sum, mut sq) = (0f64, 0f64);
        for y in 1..wh - 1 {
            for x in 1..ww - 1 {
                let p = |dx: usize, dy: usize| g[(y + dy - 1) * ww + x + dx - 1];
                let gx = (p(2, 0) + 2.0 * p(2, 1) + p(2, 2)) - (p(0, 0) + 2.0 * p(0, 1) + p(0, 2));
                let gy = (p(0, 2) + 2.0 * p(1, 2) + p(2, 2)) - (p(0, 0) + 2.0 * p(1, 0) + p(2, 0));
                self.gx[y * ww + x] = gx;
                self.gy[y * ww + x] = gy;
                let m = gx.hypot(gy) as f64;
                sum += m;
                sq += m * m;
            }
        }
        let n = ((ww - 2) * (wh - 2)) as f64;
        let mean = sum / n;
        let sd = (sq / n - mean * mean).max(0.0).sqrt();
        // Keep the strong gradients: above mean + 1 sd of the magnitude.
        // Timm & Barth use mean + 0.3 sd; on soft, small faces the weaker
        // gradients are skin shading and eyebrow fringes that pull the
        // centre away from the eye.
        let thresh = (mean + sd) as f32;
        self.edges.clear();
        for y in 1..wh - 1 {
            for x in 1..ww - 1 {
                let (gx, gy) = (self.gx[y * ww + x], self.gy[y * ww + x]);
                let m = gx.hypot(gy);
                if m > thresh && m > 0.0 {
                    self.edges.push(Edge {
                        x: x as f32,
                        y: y as f32,
                        gx: gx / m,
                        gy: gy / m,
                    });
                }
            }
        }
        if self.edges.is_empty() {
            return None;
        }

        // Candidates: not on the two-pixel rim, within the reach of
        // ONet's point, and only points darker than the window's mean (the
        // iris is dark), which also halves the work.
        let (mut lo, mut hi, mut total) = (f32::MAX, f32::MIN, 0f32);
        for &v in g {
            lo = lo.min(v);
            hi = hi.max(v);
            total += v;
        }
        let mean_grey = total / (ww * wh) as f32;
        let range = (hi - lo).max(1.0);
        // ONet's point in working pixels, and the reach and prior around it.
        let (pcx, pcy) = (
            (centre.x + 0.5 - x0 as f32) / sx - 0.5,
            (centre.y + 0.5 - y0 as f32) / sy - 0.5,
        );
        let reach = REFINE_REACH * ied * scale;
        let inv = 1.0 / (2.0 * reach * reach);
        let margin = 2;
        self.objective.clear();
        self.objective.resize(ww * wh, 0.0);
        for cy in margin..wh - margin {
            for cx in margin..ww - margin {
                let v = g[cy * ww + cx];
                let (fx, fy) = (cx as f32, cy as f32);
                if v > mean_grey || (fx - pcx).abs() > reach || (fy - pcy).abs() > reach {
                    continue;
                }
                let mut acc = 0f32;
                for e in &self.edges {
                    let dx = e.x - fx;
                    let dy = e.y - fy;
                    let d2 = dx * dx + dy * dy;
                    let dot = dx * e.gx + dy * e.gy;
                    if dot > 0.0 && d2 > 0.0 {
                        acc += dot * dot / d2;
                    }
                }
                // Darkness enters linearly: squared, it favoured the dark
                // temple or hairline beside the eye on side-lit faces.
                let darkness = (hi - v) / range;
                let prior = (-((fx - pcx).powi(2) + (fy - pcy).powi(2)) * inv).exp();
                self.objective[cy * ww + cx] = acc * darkness * prior;
            }
        }
        // The strongest point (the first in row order on a tie), to
        // sub-pixel precision, back in image pixels.
        let mut best: Option<(f32, usize, usize)> = None;
        for cy in margin..wh - margin {
            for cx in margin..ww - margin {
                let v = self.objective[cy * ww + cx];
                if v > 0.0 && best.is_none_or(|(bv, _, _)| v > bv) {
                    best = Some((v, cx, cy));
                }
            }
        }
        let (_, bx, by) = best?;
        let (fx, fy) = self.subpixel(bx, by, ww);
        Some(Point::new(
            x0 as f32 + (fx + 0.5) * sx - 0.5,
            y0 as f32 + (fy + 0.5) * sy - 0.5,
        ))
    }

    /// Centroid of the objective in the 3x3 around an interior point, in
    /// working pixels.
    fn subpixel(&self, bx: usize, by: usize, ww: usize) -> (f32, f32) {
        let (mut sw, mut sxw, mut syw) = (0f32, 0f32, 0f32);
        for y in by - 1..=by + 1 {
            for x in bx - 1..=bx + 1 {
                let v = self.objective[y * ww + x];
                sw += v;
                sxw += v * x as f32;
                syw += v * y as f32;
            }
        }
        if sw > 0.0 {
            (sxw / sw, syw / sw)
        } else {
            (bx as f32, by as f32)
        }
    }
}

/// Resamples the `s` x `s` square at (`x0`, `y0`) of the grey image to
/// the network's 48x48 input in `out`: area averaging when shrinking,
/// nearest pixel when enlarging; pixels outside the image count as black,
/// as MTCNN pads its crops.
/// ONet's eyes, nose tip and mouth corners (each pair image-left first), image
/// pixels, from a pass on the crop at (`x0`, `y0`), side `s`, and a pass
/// on its mirror image (where the image-left point of each pair is the
/// other landmark, and x runs the other way), averaged.
fn both_passes(
    out: &onet::OnetOutput,
    m: &onet::OnetOutput,
    x0: isize,
    y0: isize,
    s: usize,
) -> [Point; 5] {
    let (x0, y0, sf) = (x0 as f32, y0 as f32, s as f32);
    let point = |i: usize, j: usize| {
        let direct = (x0 + out.points[i] * sf, y0 + out.points[i + 5] * sf);
        let mirrored = (x0 + sf - 1.0 - m.points[j] * sf, y0 + m.points[j + 5] * sf);
        Point::new(0.5 * (direct.0 + mirrored.0), 0.5 * (direct.1 + mirrored.1))
    };
    [
        point(0, 1),
        point(1, 0),
        point(2, 2),
        point(3, 4),
        point(4, 3),
    ]
}

fn sample(
    px: &[u8],
    width: usize,
    height: usize,
    x0: isize,
    y0: isize,
    s: usize,
    out: &mut Vec<u8>,
) {
    out.clear();
    let n = onet::INPUT;
    if s == 0 || px.len() < width * height {
        out.resize(n * n, 0);
        return;
    }
    // Footprint of output cell i along one axis: [lo, hi) in image pixels,
    // at least one pixel wide.
    let span = |i: usize, origin: isize| {
        let lo = origin + (i * s / n) as isize;
        let hi = (origin + ((i + 1) * s / n) as isize).max(lo + 1);
        (lo, hi)
    };
    let (wi, hi) = (width as isize, height as isize);
    for oy in 0..n {
        let (ya, yb) = span(oy, y0);
        let (yc, yd) = (ya.clamp(0, hi) as usize, yb.clamp(0, hi) as usize);
        for ox in 0..n {
            let (xa, xb) = span(ox, x0);
            let (xc, xd) = (xa.clamp(0, wi) as usize, xb.clamp(0, wi) as usize);
            let count = ((yb - ya) * (xb - xa)) as u64;
            let mut acc = 0u64;
            for row in px[yc * width..yd * width].chunks_exact(width) {
                acc += row[xc..xd].iter().map(|&v| u64::from(v)).sum::<u64>();
            }
            out.push(((acc + count / 2) / count) as u8);
        }
    }
}

/// Separable 1-2-1 blur of a `w` x `h` image in place, replicated borders;
/// `tmp` is scratch.
fn blur121(g: &mut [f32], w: usize, h: usize, tmp: &mut Vec<f32>) {
    tmp.clear();
    tmp.resize(w * h, 0.0);
    if w == 0 || h == 0 || g.len() < w * h {
        return;
    }
    for (row, out) in g.chunks_exact(w).zip(tmp.chunks_exact_mut(w)) {
        for x in 0..w {
            let (l, r) = (x.saturating_sub(1), (x + 1).min(w - 1));
            out[x] = 0.25 * (row[l] + 2.0 * row[x] + row[r]);
        }
    }
    for y in 0..h {
        let (u, d) = (y.saturating_sub(1), (y + 1).min(h - 1));
        for x in 0..w {
            g[y * w + x] = 0.25 * (tmp[u * w + x] + 2.0 * tmp[y * w + x] + tmp[d * w + x]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cartoon face on a darker background: a lit oval, brows, a mouth,
    /// and two dark irises at `l` and `r` with radius `ri`, each in a white
    /// opening centred 0.05 IED lower, as the lids' opening sits lower than
    /// the iris in real eyes (the upper lid covers the iris's top).
    fn cartoon(w: usize, h: usize, l: Point, r: Point, ri: f32) -> Vec<u8> {
        let mid = l.midpoint(r);
        let ied = l.distance(r);
        let mut px = vec![70u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let p = Point::new(x as f32, y as f32);
                let (dx, dy) = (
                    (p.x - mid.x) / (0.95 * ied),
                    (p.y - mid.y - 0.35 * ied) / (1.3 * ied),
                );
                let v = if p.distance(l) <= ri || p.distance(r) <= ri {
                    35
                } else if (p.distance(l) <= 2.2 * ri || p.distance(r) <= 2.2 * ri)
                    && (p.y - l.y - 0.05 * ied).abs() < 0.9 * ri
                {
                    215
                } else if ((p.y - (l.y - 0.3 * ied)).abs() < 0.05 * ied)
                    && ((p.x - l.x).abs() < 0.28 * ied || (p.x - r.x).abs() < 0.28 * ied)
                {
                    60
                } else if (p.y - (mid.y + 0.9 * ied)).abs() < 0.05 * ied
                    && (p.x - mid.x).abs() < 0.35 * ied
                {
                    90
                } else if dx * dx + dy * dy < 1.0 {
                    180
                } else {
                    70
                };
                px[y * w + x] = v;
            }
        }
        px
    }

    #[test]
    fn finds_the_irises_of_a_cartoon_face() {
        let (w, h) = (240, 240);
        let (r_eye, l_eye) = (Point::new(93.0, 101.0), Point::new(147.0, 99.0));
        let px = cartoon(w, h, r_eye, l_eye, 5.0);
        // A box as SeetaFace would put it (eye line 0.37 side below its
        // top, IED 0.39 side), a few pixels off.
        let side = 54.0 / 0.39;
        let fb = FaceBox {
            x: 123.0 - 0.5 * side,
            y: 100.0 - 0.37 * side,
            width: side,
            height: side,
        };
        let eyes = EyeLocator::default().locate(&px, w, h, &fb).unwrap();
        assert!(eyes.left.distance(l_eye) < 2.5, "{eyes:?}");
        assert!(eyes.right.distance(r_eye) < 2.5, "{eyes:?}");
    }

    #[test]
    fn corner_opinion_is_near_ours_or_none() {
        let (w, h) = (240, 240);
        let (r_eye, l_eye) = (Point::new(93.0, 101.0), Point::new(147.0, 99.0));
        let px = cartoon(w, h, r_eye, l_eye, 5.0);
        let mut loc = EyeLocator::default();
        // On the cartoon, the corners' eyes land within the reach of the
        // irises (the lift puts them near the irises' height).
        let (a, b) = loc.corner_eyes(&px, w, h, r_eye, l_eye).unwrap();
        assert!(
            a.distance(r_eye) < 0.1 * 54.0 && b.distance(l_eye) < 0.1 * 54.0,
            "{a:?} {b:?}"
        );
        // Eyes off the image, too close, or not finite: no opinion, no panic.
        let flat = vec![128u8; w * h];
        for (p, q) in [
            (Point::new(-900.0, 50.0), Point::new(-850.0, 50.0)),
            (Point::new(100.0, 100.0), Point::new(102.0, 100.0)),
            (Point::new(f32::NAN, 100.0), Point::new(150.0, 100.0)),
            (Point::new(10.0, 10.0), Point::new(1e7, 10.0)),
        ] {
            for img in [&px, &flat] {
                if let Some((a, b)) = loc.corner_eyes(img, w, h, p, q) {
                    assert!(a.is_finite() && b.is_finite());
                    // Within the reach, plus the lift.
                    let bound = (CORNER_REACH + 1.4 * CORNER_LIFT) * p.distance(q);
                    assert!(a.distance(p) <= bound && b.distance(q) <= bound);
                }
            }
        }
    }

    #[test]
    fn refinement_moves_to_a_dark_disc_within_reach() {
        let (w, h) = (120, 80);
        let eye = Point::new(52.0, 41.0);
        let mut px = vec![200u8; w * h];
        for y in 0..h {
            for x in 0..w {
                if Point::new(x as f32, y as f32).distance(eye) <= 5.0 {
                    px[y * w + x] = 30;
                }
            }
        }
        // IED 60: the reach is 6 px; start 3.9 px off. The prior around
        // the start keeps a little of the offset.
        let mut loc = EyeLocator::default();
        let got = loc.refine(&px, w, h, Point::new(55.0, 38.5), 60.0).unwrap();
        assert!(got.distance(eye) < 1.6, "{got:?}");
        // A flat window has no gradients: no refinement.
        let flat = vec![128u8; w * h];
        assert!(loc.refine(&flat, w, h, eye, 60.0).is_none());
    }

    #[test]
    fn sampling_pads_with_black_and_keeps_constants() {
        let px = vec![100u8; 60 * 100];
        let mut out = Vec::new();
        sample(&px, 60, 100, 5, 1, 40, &mut out);
        assert_eq!(out.len(), 48 * 48);
        assert!(out.iter().all(|&v| v == 100));
        // Half the square left of the image: the left half is black.
        sample(&px, 60, 100, -48, 0, 96, &mut out);
        assert!(out
            .chunks_exact(48)
            .all(|row| row[..24].iter().all(|&v| v == 0) && row[24..].iter().all(|&v| v == 100)));
    }

    #[test]
    fn box_outside_the_image_is_none_not_a_panic() {
        let px = vec![128u8; 50 * 40];
        let fb = FaceBox {
            x: 400.0,
            y: -300.0,
            width: 100.0,
            height: 100.0,
        };
        assert!(EyeLocator::default().locate(&px, 50, 40, &fb).is_none());
        let nan = FaceBox { x: f32::NAN, ..fb };
        assert!(EyeLocator::default().locate(&px, 50, 40, &nan).is_none());
    }

    #[test]
    fn blur_keeps_constant() {
        let mut px = vec![90.0f32; 12];
        let mut tmp = Vec::new();
        blur121(&mut px, 4, 3, &mut tmp);
        assert!(px.iter().all(|&v| (v - 90.0).abs() < 1e-4));
    }
}
