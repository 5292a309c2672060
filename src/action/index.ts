// Entry of both the main and the post step: the main step saves isPost in its state, which the
// runner hands to the post step of the same action.
import * as core from '@actions/core';

import { State } from './constants.js';
import { run } from './main.js';
import { runPost } from './post.js';

if (core.getState(State.IsPost) === 'true') void runPost();
else void run();
