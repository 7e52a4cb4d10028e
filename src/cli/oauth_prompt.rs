//! OAuth 2.0 prompts on the terminal (`send`, `run`): the authorization
//! URL to open, or the device code to type, on stderr; a redirect URL the
//! user pastes on stdin goes to the code grant waiting for it, which is how
//! the code grant works over SSH, where the browser is on another machine.

use std::io::BufRead;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::oauth2::Prompt;
use crate::pipeline::Pipeline;
use crate::safe_text::escape;

/// Shows prompts, and reads pasted redirect URLs once one asks for it.
#[derive(Clone)]
pub struct Prompter {
    pipeline: Pipeline,
    reading: Arc<AtomicBool>,
}

impl Prompter {
    pub fn new(pipeline: &Pipeline) -> Prompter {
        Prompter {
            pipeline: pipeline.clone(),
            reading: Arc::default(),
        }
    }

    pub fn show(&self, prompt: &Prompt) {
        // URLs and codes come from the settings and the server: escaped.
        let safe = |s: &str| escape(s, false);
        match prompt {
            Prompt::Authorize { url, listening } => {
                eprintln!(
                    "OAuth 2.0: open this URL in a browser and approve:\n\n  {}\n",
                    safe(url)
                );
                if let Some(at) = listening {
                    eprintln!("postie waits for the browser's redirect on {}.", safe(at));
                }
                eprintln!(
                    "If the browser is on another machine (SSH), paste the URL it ends on \
                     here and press Enter."
                );
                self.read_pastes();
            }
            Prompt::Device {
                user_code,
                verification_uri,
                verification_uri_complete,
                expires_in,
            } => {
                eprintln!(
                    "OAuth 2.0: on any device, open {} and enter the code\n\n  {}\n",
                    safe(verification_uri),
                    safe(user_code)
                );
                if let Some(complete) = verification_uri_complete {
                    eprintln!("(or open {}, which has the code in it)", safe(complete));
                }
                eprintln!(
                    "postie waits for the approval (the code expires in {} min).",
                    expires_in.div_ceil(60)
                );
            }
            Prompt::Finished => {}
        }
    }

    /// Starts a thread that hands each line read from stdin to the waiting
    /// code grant (once per process; stdin already read for a body just
    /// ends at once).
    fn read_pastes(&self) {
        if self.reading.swap(true, Ordering::SeqCst) {
            return;
        }
        let pipeline = self.pipeline.clone();
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { return };
                let line = line.trim();
                if line.is_empty() {
                    continue;
                }
                if !pipeline.submit_redirect(line.to_string()) {
                    eprintln!("OAuth 2.0: nothing is waiting for a redirect URL now");
                }
            }
        });
    }
}
