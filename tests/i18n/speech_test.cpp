// Read aloud (issue 21): every info page in every kiosk language, spoken through the product's own code path.
#include "core/i18n/content.hpp"
#include "core/base/error.hpp"
#include "core/i18n/i18n.hpp"
#include "core/base/install_paths.hpp"
#include "core/i18n/fonts.hpp"
#include "core/i18n/speech.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace inloop::core;

namespace {

// Root mean square of the samples, in 16-bit units: espeak's speech sits in the thousands, silence near 0.
double rms(const std::vector<int16_t>& samples) {
    double sum = 0;
    for (int16_t s : samples) sum += double(s) * s;
    return samples.empty() ? 0.0 : std::sqrt(sum / double(samples.size()));
}

// Code points of a UTF-8 text: what "length of the text" means for the plausibility check in every script.
size_t codePoints(std::string_view text) {
    size_t n = 0;
    for (char ch : text) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
    return n;
}

// A few blocks of a page (the title, the longest paragraph, the last block): enough to meet every kind of text
// while the whole test stays within seconds.
std::vector<std::string> sampleBlocks(const Page& page) {
    std::vector<std::string> texts;
    if (page.blocks.empty()) return texts;
    texts.push_back(page.blocks.front().plainText());
    size_t longest = 0;
    for (size_t i = 0; i < page.blocks.size(); ++i)
        if (page.blocks[i].plainText().size() > page.blocks[longest].plainText().size()) longest = i;
    if (longest != 0) texts.push_back(page.blocks[longest].plainText());
    if (page.blocks.size() > 1 && page.blocks.size() - 1 != longest) texts.push_back(page.blocks.back().plainText());
    return texts;
}

} // namespace

TEST_SUITE("i18n") {
TEST_CASE("speech: every kiosk language has an espeak-ng voice, Chinese as Mandarin") {
    for (std::string_view lang : kLanguages) {
        CAPTURE(lang);
        CHECK(speech::hasVoice(lang));
    }
    CHECK(speech::voiceName("zh") == "cmn-Latn-pinyin");
    CHECK_FALSE(speech::hasVoice("xx"));
    CHECK_FALSE(speech::hasVoice("cmn-Latn-pinyin")); // a voice name is not a kiosk language
    CHECK_THROWS_AS(speech::synthesize("Hallo.", "xx"), Error);
}

TEST_CASE("speech: sentence boundaries are byte offsets where each sentence starts, in every script") {
    // Cyrillic (2 bytes a letter), Chinese (3 bytes a character): the offsets must land on the sentence's first byte.
    const std::string bg = "Здравей. Как си днес?";
    const speech::Audio a = speech::synthesize(bg, "bg");
    REQUIRE(a.sentences.size() == 2);
    CHECK(a.sentences[0].textOffset == 0);
    CHECK(bg.substr(a.sentences[1].textOffset, 6) == "Как");
    CHECK(a.sentences[0].sample < a.sentences[1].sample);
    CHECK(a.sentences[1].sample < a.samples.size());
    const std::string zh = "你好。今天好吗？";
    const speech::Audio z = speech::synthesize(zh, "zh");
    REQUIRE(z.sentences.size() == 2);
    CHECK(zh.substr(z.sentences[1].textOffset, 3) == "今");
    // Spanish opens a question with ¿: the sentence starts there, not at the first letter espeak reports.
    const std::string es = "Hola. ¿Qué tal?";
    const speech::Audio e = speech::synthesize(es, "es");
    REQUIRE(e.sentences.size() == 2);
    CHECK(es.substr(e.sentences[1].textOffset) == "¿Qué tal?");
}

TEST_CASE("speech: a cancelled synthesis stops early") {
    std::atomic<bool> cancel{true};
    const std::string text = "Dit is een lange zin die we niet helemaal willen horen. En nog een. En nog een.";
    const speech::Audio full = speech::synthesize(text, "nl");
    const speech::Audio cut = speech::synthesize(text, "nl", &cancel);
    CHECK(cut.samples.size() < full.samples.size() / 2);
}

TEST_CASE("speech: every info page in every language is spoken: not silence, a plausible length, boundaries in the text") {
    const auto root = resourceRoot();
    const SiteSettings site = SiteSettings::load(root / "assets" / "site.ini");
    for (std::string_view lang : kLanguages) {
        if (!speech::hasVoice(lang)) continue; // the first test case fails for it
        for (std::string_view topic : kTopics) {
            const Page page = loadPage(root / "assets", lang, topic, site);
            REQUIRE_FALSE(page.blocks.empty());
            for (const std::string& text : sampleBlocks(page)) {
                CAPTURE(lang);
                CAPTURE(topic);
                CAPTURE(text);
                const speech::Audio a = speech::synthesize(text, lang);
                REQUIRE(a.sampleRate > 0);
                CHECK(rms(a.samples) > 300.0);
                // Speech runs at a few to ~20 code points a second (Chinese characters are syllables, so slow;
                // an alphabet runs faster). Generous: 1 to 40 code points a second.
                const double chars = double(codePoints(text));
                CHECK(a.seconds() > chars / 40.0);
                CHECK(a.seconds() < chars / 1.0 + 2.0);
                REQUIRE_FALSE(a.sentences.empty());
                CHECK(a.sentences.front().textOffset == 0);
                size_t prevSample = 0;
                size_t prevOffset = 0;
                for (const speech::Boundary& b : a.sentences) {
                    CHECK(b.textOffset < text.size());
                    CHECK(b.sample <= a.samples.size());
                    CHECK(b.sample >= prevSample);
                    CHECK(b.textOffset >= prevOffset);
                    // A sentence starts on a character, never inside a multi-byte sequence.
                    CHECK((static_cast<unsigned char>(text[b.textOffset]) & 0xC0) != 0x80);
                    prevSample = b.sample;
                    prevOffset = b.textOffset;
                }
            }
        }
    }
}

TEST_CASE("speech: a WAV file of the audio has the header sox expects") {
    const speech::Audio a = speech::synthesize("Welkom bij Spot 46.", "nl");
    const std::string wav = speech::toWav(a);
    REQUIRE(wav.size() == 44 + a.samples.size() * 2);
    CHECK(wav.substr(0, 4) == "RIFF");
    CHECK(wav.substr(8, 8) == "WAVEfmt ");
    CHECK(wav.substr(36, 4) == "data");
    // INLOOP_SPEECH_WAV_DIR=/tmp writes one WAV per language, for listening and for sox (the voice notes).
    if (const char* dir = std::getenv("INLOOP_SPEECH_WAV_DIR")) {
        const auto root = resourceRoot();
        const SiteSettings site = SiteSettings::load(root / "assets" / "site.ini");
        for (std::string_view lang : kLanguages) {
            const Page page = loadPage(root / "assets", lang, "safe_work", site);
            const std::vector<std::string> texts = sampleBlocks(page);
            const std::string text = texts.size() > 1 ? texts[1] : texts.front();
            const auto start = std::chrono::steady_clock::now();
            const speech::Audio audio = speech::synthesize(text, lang);
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
            MESSAGE(lang << ": " << text.size() << " bytes, " << audio.seconds() << " s of speech in " << took.count()
                         << " s, " << audio.sentences.size() << " sentences"); // a note for the voice report, no limit
            std::ofstream(std::string(dir) + "/speech-" + std::string(lang) + ".wav", std::ios::binary)
                << speech::toWav(audio);
        }
    }
}

TEST_CASE("speech: times and ticket codes are given to espeak as a person says them, in every language") {
    // espeak-ng reads "14:00" as "fourteen zero zero", is silent on the dash, and its Thai voice reads "23" digit by
    // digit ("two three"). A ticket code is a letter, a breath and a number.
    struct Case {
        std::string_view lang, text, said;
    };
    const Case cases[] = {
        {"en", "Ticket A23.", "Ticket A, 23."},
        {"en", "Open 14:00–16:00.", "Open 2 p.m. to 4 p.m.."},
        {"en", "From 9:30 or 12:05", "From 9 30 a.m. or 12 oh 5 p.m."},
        {"nl", "Open 14:00 - 16:00, ticket B7.", "Open 14 uur tot 16 uur, ticket B, 7."},
        {"nl", "9:30", "9 uur 30"},
        {"es", "14:00–16:00", "14 horas a 16 horas"},
        {"es", "9:30", "9 y 30"},
        {"ro", "14:00–16:30", "ora 14 până la ora 16 și 30"},
        {"bg", "14:00–16:00", "14 часа до 16 часа"},
        {"hu", "14:00–16:00", "14 órától 16 óráig"},
        {"hu", "9:30–11:00", "9 óra 30 perctől 11 óráig"},
        {"zh", "14:00–16:00", "14时至16时"}, // 点 and 到 espeak's Mandarin reads as English "dian three", "dao four"
        {"zh", "9:30", "9时30"},
        {"zh", "A23", "A, 23"},
        {"th", "A23", "A, ยี่สิบสาม"},
        {"th", "14:00–16:00", "สิบสี่ นาฬิกา ถึง สิบหก นาฬิกา"},
        // Thai ends a phrase with a space, not a full stop: espeak is given one (not after a Latin name or a number).
        {"th", "ที่ Spot 46 คุณได้รับข้อมูล ไม่ต้องนัด  เราช่วยได้", "ที่ Spot สี่สิบหก คุณได้รับข้อมูล. ไม่ต้องนัด.  เราช่วยได้"},
        // Not ours: a version, a longer code, a year, a ratio past the clock.
        {"en", "v1.10:30, ABC12, A1234, 2026, 99:99", "v1.10:30, ABC12, A1234, 2026, 99:99"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.lang);
        CAPTURE(c.text);
        CHECK(speech::spokenText(c.text, c.lang) == c.said);
    }
}

TEST_CASE("speech: Mandarin reads every Chinese character of the info pages in Mandarin, not as English pinyin") {
    // Debian's espeak-ng 1.51 "cmn" voice said 88 % of them as English pinyin with tone numbers ("dian three").
    for (std::string_view words : {"点", "到", "分", "我们", "下午", "你好", "今天一点"}) {
        CAPTURE(words);
        const std::string said = speech::phonemes(words, "zh");
        CHECK_FALSE(said.empty());
        CHECK(said.find("(en)") == std::string::npos);
    }
    const auto root = resourceRoot();
    const SiteSettings site = SiteSettings::load(root / "assets" / "site.ini");
    size_t runs = 0;
    for (std::string_view topic : kTopics) {
        const Page page = loadPage(root / "assets", "zh", topic, site);
        for (const Block& b : page.blocks) {
            // Every run of Chinese characters (Latin names and numbers between them are other words).
            const std::u32string text = [&] {
                std::u32string out;
                for (char32_t c : decodeUtf8(b.plainText())) out.push_back(c >= 0x4E00 && c <= 0x9FFF ? c : U' ');
                return out;
            }();
            std::string run;
            const auto check = [&] {
                if (run.empty()) return;
                ++runs;
                CAPTURE(run);
                CHECK(speech::phonemes(run, "zh").find("(en)") == std::string::npos);
                run.clear();
            };
            for (char32_t c : text) {
                if (c == U' ') check();
                else run += encodeUtf8(c);
            }
            check();
        }
    }
    CHECK(runs > 100);
}

TEST_CASE("speech: every pronunciation entry is applied, to a word that stands alone, and names a word of our pages") {
    const auto root = resourceRoot();
    const auto list = speech::loadPronunciations(root / "assets" / "speech" / "pronunciation.tsv");
    REQUIRE(list.size() >= 5);
    const SiteSettings site = SiteSettings::load(root / "assets" / "site.ini");
    for (const speech::Pronunciation& p : list) {
        CAPTURE(p.lang);
        CAPTURE(p.written);
        CHECK(speech::hasVoice(p.lang));
        // In a sentence, next to Chinese characters, at the end: said as listed.
        const std::string sentence = p.lang == "zh" ? "关于" + p.written + "。" : "A " + p.written + ".";
        const std::string said = speech::spokenText(sentence, p.lang);
        CHECK(said.find(p.spoken) != std::string::npos);
        CHECK(speech::phonemes(sentence, p.lang) != speech::phonemes(p.written + "x", p.lang));
        // Not inside a longer word.
        const std::string longer = p.written + "abc";
        CHECK(speech::spokenText(longer, p.lang) == longer);
        // The word is on an info page in that language (the list is about our words).
        bool used = false;
        for (std::string_view topic : kTopics)
            for (const Block& b : loadPage(root / "assets", p.lang, topic, site).blocks)
                used = used || speech::spokenText(b.plainText(), p.lang).find(p.spoken) != std::string::npos;
        CHECK(used);
    }
    // Sentence boundaries still point into the text on screen after a word was respelled.
    const std::string text = "Test for STIs. Then rest.";
    const speech::Audio a = speech::synthesize(text, "en");
    REQUIRE(a.sentences.size() == 2);
    CHECK(text.substr(a.sentences[1].textOffset) == "Then rest.");
}

TEST_CASE("speech: a pronunciation list with a bad line is refused with its line number") {
    const auto dir = std::filesystem::temp_directory_path() / ("inloop-pron-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "p.tsv") << "# comment\nen\tSTI\tS T I\nen STI S T I\n";
    try {
        speech::loadPronunciations(dir / "p.tsv");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find("line 3") != std::string::npos);
    }
    CHECK_THROWS_AS(speech::loadPronunciations(dir / "missing.tsv"), Error);
    std::filesystem::remove_all(dir);
}

TEST_CASE("speech: Thai, which has no full stops, is read phrase by phrase: a boundary after each space") {
    const std::string text = "ที่ Spot 46 คุณได้รับข้อมูลฟรี ไม่ต้องนัดล่วงหน้า เราไม่ตัดสินงานของคุณ";
    const speech::Audio a = speech::synthesize(text, "th");
    REQUIRE(a.sentences.size() == 3);
    CHECK(a.sentences[0].textOffset == 0);
    CHECK(text.substr(a.sentences[1].textOffset).starts_with("ไม่ต้อง"));
    CHECK(text.substr(a.sentences[2].textOffset).starts_with("เรา"));
    CHECK(a.sentences[1].sample < a.sentences[2].sample);
}

TEST_CASE("speech: sentence boundaries point into the text on screen when times were spoken as words") {
    const std::string text = "Open 14:00–16:00. Ticket A23. Bye.";
    const speech::Audio a = speech::synthesize(text, "en");
    REQUIRE(a.sentences.size() == 3);
    CHECK(text.substr(a.sentences[1].textOffset) == "Ticket A23. Bye.");
    CHECK(text.substr(a.sentences[2].textOffset) == "Bye.");
}
}
